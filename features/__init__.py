"""Use cases: what the assistant does, over storage and knowledge, with no Telegram."""
