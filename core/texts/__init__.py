"""Every user-facing text of the bot, in Vietnamese, one module per feature.

``core.texts.common`` holds the texts of the conversation core (start, help, questions, plans,
deadlines, errors); features add ``core/texts/<feature>.py``. Texts are plain strings or
``str.format`` templates; HTML is allowed only where a name says so (``*_HTML``), and every
value put into an HTML template must be escaped by the caller (see :mod:`bot.render`).
"""
