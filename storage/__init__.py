"""Storing only: the engine and units of work, the table models, migrations, audit, files."""
