"""``python -m bot`` does what the ``kehoach`` command does."""

from bot.cli import main

if __name__ == "__main__":
    main()
