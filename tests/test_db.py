import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from live import db, imports
from live.app import prepare_database
from live.demo import DEMO_CONFERENCE, DEMO_STEPS
from live.models import AgendaStep, Conference, Event, Question
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without a single table, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    postgres = request.getfixturevalue("postgres")
    url = postgres.create()
    try:
        yield url
    finally:
        postgres.drop(url)


@pytest.fixture
def empty(empty_url: str) -> Iterator[Engine]:
    engine = db.make_engine(empty_url)
    try:
        yield engine
    finally:
        engine.dispose()


def head() -> int:
    found = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert found is not None
    return int(found)


def upgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.upgrade(db.alembic_config(conn), revision)


def schema_diff(engine: Engine) -> list[Any]:
    """What Alembic's autogenerate would change to bring the database to the models."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def insert(conn: sa.Connection, table_name: str, /, **values: Any) -> int:
    """A row of the table as the database has it (not as the models say), every NOT NULL
    column without a default given a blank value unless `values` has it; its id."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    blank = {int: 0, float: 0.0, bool: False, str: "", datetime: datetime.now(UTC)}
    row = {
        c.name: blank[c.type.python_type]
        for c in table.columns
        if not c.nullable and not c.primary_key and c.server_default is None
    }
    result = conn.execute(table.insert().values({**row, **values}))
    return result.inserted_primary_key[0] if result.inserted_primary_key else 0


ROADS = "Đề nghị sửa đường liên xã Tân Lạc bị sạt lở sau mưa lũ"


def a_day(conn: sa.Connection) -> dict[str, int]:
    """A small conference day written into a database at revision 0003: its row ids."""
    ids = {"conference": insert(conn, "conference", slug="day", title="Hội nghị", epoch="e1")}
    conference_id = ids["conference"]
    for position, kind in enumerate(("ceremony", "speech", "dialogue"), 1):
        ids[f"step{position}"] = insert(
            conn,
            "agendastep",
            conference_id=conference_id,
            position=position,
            kind=kind,
            title=f"Bước {position}",
            show_timer=True,
        )
    for number, (text, status) in enumerate(
        (
            (ROADS, "queued"),
            (f"Bao giờ {ROADS.lower()}?", "pending"),
            ("Chế độ phụ cấp cho giáo viên vùng cao", "queued"),
            (ROADS, "answered"),
        ),
        1,
    ):
        ids[f"q{number}"] = insert(
            conn,
            "question",
            conference_id=conference_id,
            number=number,
            text=text,
            status=status,
        )
    ids["answer"] = insert(
        conn,
        "answer",
        conference_id=conference_id,
        question_id=ids["q4"],
        summary="Đã bố trí vốn",
    )
    ids["commitment"] = insert(
        conn, "commitment", conference_id=conference_id, question_id=ids["q4"], task="Sửa"
    )
    ids["asker"] = insert(conn, "questionasker", question_id=ids["q1"], name="Bà Lò Thị Xuân")
    for seq, type_ in enumerate(("conference.created", "step.go", "question.add"), 1):
        ids[f"event{seq}"] = insert(
            conn, "event", conference_id=conference_id, seq=seq, type=type_, payload="{}"
        )
    insert(conn, "projectorframe", conference_id=conference_id, seq=2, regions="{}")
    insert(conn, "listitem", conference_id=conference_id, kind="field", name="Giao thông")
    insert(conn, "delegate", conference_id=conference_id, code="DB0001", name="Đinh Văn A")
    insert(conn, "giftrecipient", conference_id=conference_id, position=1, name="Bùi Thị B")
    insert(conn, "giftbatch", conference_id=conference_id, number=1)
    insert(conn, "rolekey", conference_id=conference_id, role="mc", key="k-mc")
    insert(conn, "noticeedit", conference_id=conference_id, key="opening", text="Mở đầu")
    insert(conn, "meta", key="cookie_secret", value="s3cret")
    return ids


def row_counts(engine: Engine, names: set[str]) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in names}


def make_pre_alembic(engine: Engine, version: int) -> None:
    """A file as a build before Alembic left it: the tables of schema_version `version`
    and that number in meta, no alembic_version."""
    upgrade(engine, f"{version:04d}")
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.execute(
            sa.text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": version}
        )


def test_new_database_is_wal_and_at_the_latest_revision(engine):
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert db.revision(engine) == f"{head():04d}"
    assert db.get_meta(engine, "schema_version") is None  # alembic_version says it
    assert db.migrate(engine) == head()


def test_a_new_database_gets_exactly_the_models_schema(empty):
    assert db.migrate(empty) == 0
    assert schema_diff(empty) == []


def test_every_revision_goes_down_and_up_again(empty):
    upgrade(empty, "head")
    with empty.begin() as conn:
        command.downgrade(db.alembic_config(conn), "base")
    assert tables(empty) == {"alembic_version"}
    assert db.migrate(empty) == 0
    assert schema_diff(empty) == []


def test_migration_steps_run_once_and_keep_the_data(empty):
    """A day held at the baseline is brought to the latest schema: every row stays, the new
    columns take their defaults, the open questions get their look-alike hints."""
    upgrade(empty, "0003")
    with empty.begin() as conn:
        ids = a_day(conn)
    before = row_counts(empty, tables(empty) - {"alembic_version"})
    assert db.migrate(empty) == 3
    assert row_counts(empty, set(before)) == before
    assert row_counts(empty, {"formvisit"}) == {"formvisit": 0}
    assert schema_diff(empty) == []
    assert db.migrate(empty) == head()  # nothing left to run
    with Session(empty) as s:
        conference = s.exec(select(Conference)).one()
        assert (conference.title, conference.video_ended) == ("Hội nghị", False)
        steps = s.exec(select(AgendaStep).order_by(AgendaStep.position)).all()
        assert [(a.title, a.show_timer, a.show_overtime) for a in steps] == [
            (f"Bước {n}", True, False) for n in (1, 2, 3)
        ]
        assert {(a.began_at, a.kept_duration, a.kept_elapsed) for a in steps} == {(None, None, 0)}
        assert {e.effects for e in s.exec(select(Event))} == {""}
        questions = {q.number: q for q in s.exec(select(Question))}
        assert {q.page for q in questions.values()} == {0}
    hints = {n: [qid for qid, _ in json.loads(q.look_alikes)] for n, q in questions.items()}
    # The closed question keeps no hints and is no one's hint: only open ones are compared.
    assert hints == {1: [ids["q2"]], 2: [ids["q1"]], 3: [], 4: []}
    assert db.get_meta(empty, "cookie_secret") == "s3cret"


@pytest.mark.parametrize("version", [3, 7])
def test_a_file_from_before_alembic_is_stamped_and_upgraded(tmp_path, version):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        make_pre_alembic(engine, version)
        with engine.begin() as conn:
            insert(conn, "conference", slug="old", title="Ngày hội nghị năm ngoái", epoch="e")
        assert db.migrate(engine) == version
        assert db.revision(engine) == f"{head():04d}"
        assert db.get_meta(engine, "schema_version") is None
        assert schema_diff(engine) == []
        with Session(engine) as s:
            assert [c.title for c in s.exec(select(Conference))] == ["Ngày hội nghị năm ngoái"]
        assert db.migrate(engine) == head()
    finally:
        engine.dispose()


def test_a_newer_database_is_refused(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": "9999"})
    with pytest.raises(RuntimeError, match="newer than this build"):
        db.migrate(engine)
    assert db.revision(engine) == "9999"


@pytest.mark.parametrize(("version", "refusal"), [(11, "newer than this build"), (2, "older")])
def test_a_file_from_before_alembic_outside_the_history_is_refused(tmp_path, version, refusal):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        make_pre_alembic(engine, 3)
        db.set_meta(engine, "schema_version", str(version))
        with pytest.raises(RuntimeError, match=refusal):
            db.migrate(engine)
        assert "alembic_version" not in tables(engine)
        assert db.get_meta(engine, "schema_version") == str(version)
    finally:
        engine.dispose()


def test_a_failed_upgrade_changes_nothing(empty, monkeypatch):
    """The revisions run in one transaction, on SQLite too (whose driver would otherwise
    commit each CREATE and ALTER as it runs)."""
    upgrade(empty, "0003")
    with empty.begin() as conn:
        a_day(conn)

    def broken(*_args: Any) -> list[tuple[int, float]]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(imports, "closest", broken)  # revision 0005 calls it
    with pytest.raises(RuntimeError, match="power cut"):
        db.migrate(empty)
    assert db.revision(empty) == "0003"
    assert "formvisit" not in tables(empty)  # made by 0004, before the failure
    monkeypatch.undo()
    assert db.migrate(empty) == 3


def test_a_batch_copy_of_a_table_others_point_at_keeps_their_rows(tmp_path):
    """Batch mode changes a SQLite table by copying it and dropping the old one, which
    foreign keys would forbid while answers point at the questions: they are checked at
    the end of the migration instead, and a migration that breaks them is undone."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    try:
        upgrade(engine, "head")
        with engine.begin() as conn:
            a_day(conn)
        before = row_counts(engine, tables(engine))
        with (
            engine.connect() as conn,
            db.migrating(conn),
            Operations(MigrationContext.configure(conn)).batch_alter_table(
                "question", recreate="always"
            ) as batch,
        ):
            batch.alter_column("asker_unit", server_default="")
        assert row_counts(engine, set(before)) == before
        assert schema_diff(engine) == []
        with (
            pytest.raises(RuntimeError, match="broke foreign keys"),
            engine.connect() as conn,
            db.migrating(conn),
        ):
            conn.exec_driver_sql("DELETE FROM question")
        assert row_counts(engine, set(before)) == before
        with engine.connect() as conn:  # and the pooled connection has its keys back on
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_two_processes_starting_at_once_migrate_once(empty_url):
    """Both wait for the lock; the second finds the schema already at the latest revision."""
    engines = [db.make_engine(empty_url) for _ in range(2)]
    start = threading.Barrier(2)

    def start_up(engine: Engine) -> int:
        start.wait()
        return db.migrate(engine)

    try:
        with ThreadPoolExecutor(2) as pool:
            found = sorted(pool.map(start_up, engines))
        assert found == [0, head()]
        assert schema_diff(engines[0]) == []
    finally:
        for engine in engines:
            engine.dispose()


def test_demo_is_the_seeds_day(engine):
    with Session(engine) as s:
        conf = s.exec(select(Conference).where(Conference.slug == "demo")).one()
        steps = list(s.exec(select(AgendaStep).order_by(AgendaStep.position)))
    assert conf.venue == "Hội trường UBND tỉnh Hòa Bình"
    assert conf.banner.startswith("NHIỆT LIỆT CHÀO MỪNG CÁC ĐẠI BIỂU VỀ DỰ HỘI NGHỊ GẶP GỠ")
    assert [s.position for s in steps] == list(range(1, 9))
    assert [s.kind for s in steps].count("video") == 1
    assert 180 <= sum(s.planned_minutes for s in steps) <= 270  # a half-day
    assert all(len(s.mc_script) > 200 for s in steps)
    assert len(DEMO_STEPS) == 8 and DEMO_CONFERENCE["slug"] == "demo"


def test_demo_is_seeded_on_the_first_start_only(settings, engine):
    with Session(engine) as s:
        conf = s.exec(select(Conference)).one()
        conf.title = "Đã sửa"
        s.add(conf)
        s.commit()
    again = prepare_database(settings)
    with Session(again) as s:
        assert [c.title for c in s.exec(select(Conference))] == ["Đã sửa"]
    # Deleting the demo does not bring it back either.
    with again.begin() as conn:
        for table in (
            "question",
            "listitem",
            "agendastep",
            "delegate",
            "giftrecipient",
            "giftbatch",
        ):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        conn.exec_driver_sql("DELETE FROM rolekey")
        conn.exec_driver_sql("DELETE FROM conference")
    third = prepare_database(settings)
    with Session(third) as s:
        assert list(s.exec(select(Conference))) == []


def test_cookie_secret_is_made_once_and_kept(engine):
    first = db.cookie_secret(engine, "")
    assert len(first) >= 32
    assert db.cookie_secret(engine, "") == first
    assert db.cookie_secret(engine, "configured") == "configured"
