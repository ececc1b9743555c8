"""What every layer may read: the settings, the clock and the texts."""
