"""The surfaces: Telegram handlers and jobs, the shell, the command line, rendering."""
