"""The Bot API emulator itself, driven by a real ``telegram.Bot`` over HTTP."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, RetryAfter

from tests.support.emulator import TOKEN, BotApiEmulator
from tests.support.factories import GROUP_ID, USER_ID, group_chat, private_chat, user


@pytest.fixture
async def emu():
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu):
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as b:
        yield b


async def test_messages_keyboards_edits_and_files_round_trip(emu, bot):
    emu.api.remember_chat(private_chat())
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Một", callback_data="x:1")]])
    sent = await bot.send_message(USER_ID, "Xin chào <b>Lan</b> 1", parse_mode="HTML",
                                  reply_markup=keyboard)
    assert sent.text == "Xin chào <b>Lan</b> 1"
    assert sent.reply_markup == keyboard
    edited = await bot.edit_message_text("Đã sửa", chat_id=USER_ID, message_id=sent.message_id)
    assert edited.text == "Đã sửa"
    assert edited.reply_markup is None
    await bot.edit_message_reply_markup(USER_ID, sent.message_id, reply_markup=keyboard)
    assert emu.api.messages[(USER_ID, sent.message_id)]["reply_markup"] == keyboard.to_dict()

    doc = await bot.send_document(USER_ID, b"\x00\x01bang", filename="bao-cao.xlsx",
                                  caption="Tệp")
    photo = await bot.send_photo(USER_ID, b"\x89PNG....")
    assert doc.document.file_name == "bao-cao.xlsx"
    assert photo.photo
    files = [c.files for c in emu.api.calls if c.method in ("sendDocument", "sendPhoto")]
    assert files[0]["document"] == ("bao-cao.xlsx", b"\x00\x01bang")
    assert next(iter(files[1].values()))[1] == b"\x89PNG...."

    chat = await bot.get_chat(USER_ID)
    assert chat.first_name == "Lan"
    assert await bot.set_my_commands([("start", "Bắt đầu")])
    assert emu.api.commands == [{"command": "start", "description": "Bắt đầu"}]
    assert await bot.delete_my_commands()
    assert emu.api.commands == []
    assert await bot.delete_webhook()


async def test_get_updates_long_polls_and_offsets_confirm(emu, bot):
    first = await emu.send(private_chat(), user(), "/start")
    second = await emu.tap(USER_ID, 1, "x:1", user())
    got = await bot.get_updates(timeout=0)
    assert [u.update_id for u in got] == [first["update_id"], second["update_id"]]
    assert got[0].message.text == "/start"
    assert got[1].callback_query.data == "x:1"
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
    assert emu.pending() == []


# RetryAfter.retry_after as an int is deprecated since PTB 22.2 (a timedelta later).
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_errors_can_be_injected(emu, bot):
    emu.api.remember_chat(group_chat())
    emu.api.remember_chat(private_chat())
    emu.fail("sendMessage", emu.forbidden(), chat_id=GROUP_ID)
    with pytest.raises(Forbidden):
        await bot.send_message(GROUP_ID, "x")
    emu.fail("sendMessage", emu.migrated(-100777), chat_id=GROUP_ID)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(GROUP_ID, "x")
    assert migrated.value.new_chat_id == -100777
    assert (await bot.send_message(GROUP_ID, "x")).text == "x"  # faults are used up

    emu.rate_limit(2, window=60, retry_after=7)
    await bot.send_message(USER_ID, "1")
    await bot.send_message(USER_ID, "2")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER_ID, "3")
    assert flood.value.retry_after == 7
    assert (await bot.send_message(GROUP_ID, "khác chat")).text == "khác chat"

    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(-424242, "x")
    with pytest.raises(Forbidden, match="initiate conversation"):
        await bot.send_message(424242, "x")  # a user who never wrote to the bot


async def test_wrong_token_is_unauthorized(emu):
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=emu.base_url):
            pass
