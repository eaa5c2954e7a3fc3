"""The demo delegates and gift recipients: 250 seats, the plan's quotas, invented and consistent."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from live.demo_people import (
    DEMO_DELEGATES,
    DEMO_GIFT_PRESENTERS,
    DEMO_GIFTS,
    DEMO_GROUPS,
    DEMO_UNIT_QUOTAS,
)
from live.demo_questions import DEMO_AGENCIES, DEMO_QUESTIONS, DEMO_UNITS

ROOT = Path(__file__).resolve().parents[1]
DELEGATE_KEYS = {"name", "gender", "position", "unit", "group", "rank"}
GIFT_KEYS = {"name", "unit", "circumstances", "value"}
GROUP_NAMES = [group for group, _ in DEMO_GROUPS]
UNIT_GROUPS = {
    "LĐLĐ huyện, thành phố, Công đoàn ngành",
    "Doanh nghiệp, công đoàn cơ sở",
    "Công nhân, viên chức, lao động",
}


def is_text(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.strip() == value
        and value != ""
        and "  " not in value
        and unicodedata.is_normalized("NFC", value)
    )


def test_groups_in_protocol_order():
    assert len(DEMO_GROUPS) == 14
    assert len(set(GROUP_NAMES)) == 14
    assert DEMO_GROUPS[0] == ("Tổng LĐLĐ Việt Nam", 3)
    assert DEMO_GROUPS[-1] == ("Báo chí", 0)
    assert all(is_text(group) and isinstance(named, int) for group, named in DEMO_GROUPS)


def test_one_delegate_per_seat_with_every_field():
    assert len(DEMO_DELEGATES) == 250
    for delegate in DEMO_DELEGATES:
        assert set(delegate) == DELEGATE_KEYS
        for key in ("name", "position", "unit", "group"):
            assert is_text(delegate[key]), (key, delegate)
        assert delegate["gender"] in {"Nam", "Nữ"}
        assert type(delegate["rank"]) is int and delegate["rank"] >= 1


def test_every_group_is_known_and_used():
    used = {d["group"] for d in DEMO_DELEGATES}
    assert used == set(GROUP_NAMES)


def test_listed_in_protocol_order_with_ranks_one_to_n_per_group():
    order = [(GROUP_NAMES.index(d["group"]), d["rank"]) for d in DEMO_DELEGATES]
    assert order == sorted(order)
    for group in GROUP_NAMES:
        ranks = [d["rank"] for d in DEMO_DELEGATES if d["group"] == group]
        assert ranks == list(range(1, len(ranks) + 1)), group


def test_dignitaries_are_few_and_the_chairman_leads_the_ppc():
    for group, one_by_one in DEMO_GROUPS:
        if one_by_one and group != "LĐLĐ tỉnh":
            assert 1 <= sum(d["group"] == group for d in DEMO_DELEGATES) <= 3, group
    first = {d["group"]: d for d in DEMO_DELEGATES if d["rank"] == 1}
    assert first["UBND tỉnh"]["position"] == "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"
    assert first["LĐLĐ tỉnh"]["position"] == "Chủ tịch LĐLĐ tỉnh"
    assert first["Tổng LĐLĐ Việt Nam"]["position"] == "Phó Chủ tịch Tổng LĐLĐ Việt Nam"


def test_every_answering_agency_is_invited():
    agencies = {d["unit"] for d in DEMO_DELEGATES if d["group"] == "Sở, ban, ngành"}
    assert set(DEMO_AGENCIES) - {"Liên đoàn Lao động tỉnh"} <= agencies
    assert {d["unit"] for d in DEMO_DELEGATES if d["group"] == "LĐLĐ tỉnh"} == {
        "Liên đoàn Lao động tỉnh"
    }


def test_quotas_cover_exactly_the_units():
    assert list(DEMO_UNIT_QUOTAS) == DEMO_UNITS
    for unit, (delegates, gifts) in DEMO_UNIT_QUOTAS.items():
        assert type(delegates) is int and type(gifts) is int
        assert delegates == (3 if "huyện" in unit else 20), unit
        assert gifts >= 1, unit


def test_each_unit_sends_exactly_its_quota_in_the_unit_groups():
    per_unit = Counter(d["unit"] for d in DEMO_DELEGATES)
    for unit, (quota, _) in DEMO_UNIT_QUOTAS.items():
        assert per_unit[unit] == quota, unit
    for delegate in DEMO_DELEGATES:
        assert (delegate["unit"] in DEMO_UNIT_QUOTAS) == (delegate["group"] in UNIT_GROUPS)


def test_a_district_sends_chairman_vice_chairman_and_one_grassroots_chairman():
    for unit in DEMO_UNITS:
        if "huyện" not in unit:
            continue
        positions = [d["position"] for d in DEMO_DELEGATES if d["unit"] == unit]
        short = unit.replace("Liên đoàn Lao động", "LĐLĐ")
        assert positions[0] == f"Chủ tịch {short}"
        assert positions[1] == f"Phó Chủ tịch {short}"
        assert positions[2].startswith("Chủ tịch CĐCS ")


def test_names_are_unique_full_names_with_consistent_gender():
    names = [d["name"] for d in DEMO_DELEGATES]
    assert len(set(names)) == len(names)
    for delegate in DEMO_DELEGATES:
        words = delegate["name"].split()
        assert 3 <= len(words) <= 4, delegate["name"]
        assert all(w[0].isupper() for w in words), delegate["name"]
        middle = words[1:-1]
        if "Thị" in middle:
            assert delegate["gender"] == "Nữ", delegate["name"]
        if "Văn" in middle:
            assert delegate["gender"] == "Nam", delegate["name"]


def test_names_exercise_vietnamese_sorting():
    given = {d["name"].split()[-1] for d in DEMO_DELEGATES}
    wanted = {"An", "Ân", "Anh", "Ánh", "Dũng", "Duy", "Đức", "Đạt", "Uy", "Uyên", "Ứng"}
    assert wanted <= given, wanted - given
    families = {d["name"].split()[0] for d in DEMO_DELEGATES}
    assert {"Dương", "Đinh", "Đỗ", "Đặng"} <= families


def test_no_real_person_from_the_plan():
    everyone = {d["name"] for d in DEMO_DELEGATES} | {g["name"] for g in DEMO_GIFTS}
    assert not everyone & {"Nguyễn Mạnh Cường", "Vương Văn Thanh"}


def test_delegates_and_recipients_are_not_the_askers_of_the_written_questions():
    # Different invented people: a delegate must not be mistaken for the asker of a question.
    askers = {q["asker_name"] for q in DEMO_QUESTIONS}
    everyone = {d["name"] for d in DEMO_DELEGATES} | {g["name"] for g in DEMO_GIFTS}
    assert not everyone & askers


def test_names_are_the_same_on_every_run():
    script = (
        "from live.demo_people import DEMO_DELEGATES, DEMO_GIFTS\n"
        "print('|'.join(p['name'] for p in [*DEMO_DELEGATES, *DEMO_GIFTS]))"
    )
    here = "|".join(p["name"] for p in [*DEMO_DELEGATES, *DEMO_GIFTS])
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONIOENCODING": "utf-8"}
        run = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
            text=True,
        )
        assert run.stdout.strip() == here


def test_thirty_gifts_by_quota():
    assert sum(gifts for _, gifts in DEMO_UNIT_QUOTAS.values()) == 30
    assert len(DEMO_GIFTS) == 30
    per_unit = Counter(g["unit"] for g in DEMO_GIFTS)
    assert per_unit == {unit: gifts for unit, (_, gifts) in DEMO_UNIT_QUOTAS.items()}
    for gift in DEMO_GIFTS:
        assert set(gift) == GIFT_KEYS
        for key in ("name", "unit", "circumstances"):
            assert is_text(gift[key]), (key, gift)
        assert type(gift["value"]) is int and gift["value"] == 2_000_000


def test_gift_recipients_are_distinct_people():
    names = [g["name"] for g in DEMO_GIFTS]
    assert len(set(names)) == 30
    assert not set(names) & {d["name"] for d in DEMO_DELEGATES}
    assert len({g["circumstances"] for g in DEMO_GIFTS}) == 30


def test_three_presenter_batches_named_by_office():
    assert len(DEMO_GIFT_PRESENTERS) == 3
    assert all(is_text(p) and p.startswith("Đồng chí ") for p in DEMO_GIFT_PRESENTERS)
