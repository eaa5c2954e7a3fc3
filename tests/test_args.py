"""Typed command arguments (live.commands.args): one model per command, checked before the
command runs, every wrong field named in Vietnamese."""

from __future__ import annotations

import pytest
from pydantic import Field
from sqlalchemy import event

from live.commands import COMMANDS, CommandError, Request, execute, execute_batch
from live.commands.args import Args, Text, clean_text


class Sample(Args):
    name: Text = Field(min_length=1, max_length=10)
    note: Text = Field("", max_length=5)
    count: int = Field(ge=1, le=4)


def refusal(raw: dict) -> CommandError:
    from live.commands import Command

    cmd = Command("sample", frozenset({"mc"}), "", lambda ctx, args: {}, Sample)
    with pytest.raises(CommandError) as e:
        cmd.parse(raw)
    return e.value


def test_text_is_trimmed_nfc_and_without_bidirectional_controls():
    assert clean_text("  Nguye\u0302\u0303n  ") == "Nguyễn"  # decomposed → one code point each
    assert clean_text("\u202eabc\u202c \u2066x\u2069\u200f") == "abc x"
    assert clean_text(None) == ""
    parsed = Sample.model_validate({"name": " \u200eAn ", "count": 2})
    assert (parsed.name, parsed.note, parsed.count) == ("An", "", 2)


def test_every_wrong_field_is_named_with_a_code_and_a_vietnamese_message():
    e = refusal({"name": "", "note": "quá dài", "count": 9})
    assert e.status == 400
    assert [(f["field"], f["code"]) for f in e.fields] == [
        ("name", "missing"),
        ("note", "too_long"),
        ("count", "out_of_range"),
    ]
    assert (e.code, e.message) == ("missing", "Thiếu «name».")  # the first field's
    assert e.fields[1]["message"] == "«note» dài quá 5 ký tự."
    assert e.fields[2]["message"] == "«count» phải trong khoảng 1…4."
    assert e.as_json()["fields"] == e.fields


@pytest.mark.parametrize("count", ["3", True, 2.5, None])
def test_numbers_are_numbers(count):
    e = refusal({"name": "An", "count": count})
    assert e.code == "bad_args" and e.fields[0]["field"] == "count"
    assert "số nguyên" in e.message


def test_control_characters_are_refused_not_dropped():
    e = refusal({"name": "A\x01n", "count": 1})
    assert (e.code, e.fields[0]["field"]) == ("bad_args", "name")
    assert "ký tự điều khiển" in e.message


def test_arguments_a_command_does_not_know_are_ignored():
    assert Sample.model_validate({"name": "An", "count": 1, "csrf": "x"}).name == "An"


def test_a_typed_command_is_refused_before_any_statement(engine):
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    (result,) = execute_batch(engine, "demo", [Request("mc", "timer.adjust", {"seconds": "60"})])
    assert isinstance(result, CommandError) and result.code == "bad_args"
    assert statements == []


def test_a_limit_only_the_conference_knows_is_checked_as_the_command_runs(engine):
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "mc", "step.goto", {"position": 9})  # the demo has 8 steps
    assert (e.value.code, e.value.message) == ("out_of_range", "«position» phải trong khoảng 0…8.")
    assert e.value.fields == [
        {"field": "position", "code": "out_of_range", "message": e.value.message}
    ]


def test_typed_commands_have_a_model():
    typed = {name for name, c in COMMANDS.items() if c.args is not None}
    assert {"step.goto", "timer.adjust", "projector.mode", "step.media", "video.play"} <= typed
    assert all(issubclass(COMMANDS[name].args, Args) for name in typed)  # type: ignore[arg-type]


def test_the_api_and_the_socket_answer_with_the_fields(settings, keys):
    from starlette.testclient import TestClient

    from live.app import create_app

    with TestClient(create_app(settings)) as client:
        r = client.post(
            "/api/e/demo/commands",
            json={"command": "timer.adjust", "args": {"seconds": 99999}},
            headers={"Authorization": f"Bearer {keys['mc']}"},
        )
        assert r.status_code == 400
        body = r.json()
        assert body["code"] == "out_of_range" and body["fields"][0]["field"] == "seconds"
        with client.websocket_connect(f"/ws/e/demo?screen=mc&key={keys['mc']}") as ws:
            ws.send_json({"type": "command", "id": 7, "command": "projector.mode", "args": {}})
            while (m := ws.receive_json())["type"] != "result":
                pass
            assert (m["id"], m["ok"], m["code"]) == (7, False, "missing")
            assert m["fields"] == [{"field": "mode", "code": "missing", "message": "Thiếu «mode»."}]


# --- the gifts, on models --------------------------------------------------------------------


def add_gift(engine, **fields):
    args = {"name": "Lò Thị Mai", "unit": "Liên đoàn Lao động huyện Lương Sơn", **fields}
    return execute(engine, "demo", "admin", "gift.add", args).answer


def test_an_edit_checks_what_was_sent_over_what_is_kept(engine):
    r = add_gift(engine, value=500_000)
    execute(engine, "demo", "admin", "gift.edit", {"id": r["id"], "name": "  Lò Thị Mai Anh "})
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "admin", "gift.edit", {"id": r["id"], "name": ""})
    assert (e.value.code, e.value.fields[0]["field"]) == ("missing", "name")
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "admin", "gift.edit", {"id": r["id"], "unit": "Nơi khác"})
    assert e.value.fields == [{"field": "unit", "code": "bad_args", "message": e.value.message}]
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "admin", "gift.edit", {"id": 999_999, "name": "X"})
    assert (e.value.code, e.value.status) == ("not_found", 404)


def test_an_import_names_the_row_and_its_field(engine):
    rows = [
        {"name": "Hà Văn Sơn", "unit": "Liên đoàn Lao động huyện Lương Sơn"},
        {"name": "Bùi Thị Hoa", "unit": "Liên đoàn Lao động huyện Lương Sơn", "value": -1},
    ]
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "admin", "gift.import", {"rows": rows})
    assert e.value.code == "out_of_range"
    assert e.value.message.startswith("Dòng 2 (người nhận quà): «value»")
    assert [f["field"] for f in e.value.fields] == ["rows[2].value"]


@pytest.mark.parametrize(
    ("sent", "handed"), [("1", True), ("on", True), (1, True), (False, False), ("", False)]
)
def test_a_flag_takes_what_a_form_sends(engine, sent, handed):
    r = add_gift(engine)
    out = execute(engine, "demo", "mc", "gift.handed", {"id": r["id"], "handed": sent}).answer
    assert out["handed"] is handed


# --- the secretaries' commands, on models -----------------------------------------------------


def test_a_commitment_edit_is_checked_whole_and_blank_agencies_are_dropped(engine):
    q = execute(engine, "demo", "moderator", "question.add", {"text": "Nhà ở xã hội?"}).answer
    c = execute(
        engine,
        "demo",
        "secretary",
        "commitment.add",
        {"question_id": q["id"], "task": "Rà soát quỹ đất", "cooperating": ["Sở Xây dựng", " "]},
    ).answer
    edit = {"id": c["id"], "base_version": 1}
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "secretary", "commitment.edit", {**edit, "task": " "})
    assert (e.value.code, e.value.fields[0]["field"]) == ("missing", "task")
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "secretary", "commitment.edit", {**edit, "deadline": "31/12"})
    assert e.value.message == "«deadline» phải là ngày dạng 2024-12-31."
    with pytest.raises(CommandError) as e:
        execute(
            engine, "demo", "secretary", "commitment.edit", {**edit, "cooperating": ["x" * 201]}
        )
    assert e.value.message == "«cooperating» (mục 1) dài quá 200 ký tự."
    out = execute(
        engine, "demo", "secretary", "commitment.edit", {**edit, "deadline": "2026-12-31"}
    )
    assert out.answer["version"] == 2
    with pytest.raises(CommandError) as e:  # a save on top of a newer one
        execute(engine, "demo", "secretary", "commitment.edit", {**edit, "task": "Khác"})
    assert e.value.code == "conflict"


def test_a_status_refusal_names_the_allowed_values(engine):
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "secretary", "commitment.status", {"id": 1, "status": "xong"})
    assert e.value.message == "«status» phải là not_started, in_progress hoặc done."


def test_a_pattern_refusal_says_what_is_expected(engine):
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "admin", "conference.edit", {"starts_at": "8h"})
    assert (e.value.code, e.value.message) == ("bad_args", "«starts_at» phải là giờ dạng 08:00.")
    with pytest.raises(CommandError) as e:
        execute(engine, "demo", "secretary", "notice.edit", {"key": "x", "base_version": 0})
    assert e.value.message == "«key» không phải một đoạn của thông báo."
    assert execute(engine, "demo", "admin", "conference.edit", {"starts_at": ""}).answer == {
        "starts_at": ""
    }
