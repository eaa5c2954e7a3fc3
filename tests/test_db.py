import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from live import db
from live.app import prepare_database
from live.demo import DEMO_CONFERENCE, DEMO_STEPS
from live.models import AgendaStep, Conference, Delegate, Question


def test_new_database_is_wal_and_stamped(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert db.get_meta(engine, "schema_version") == str(len(db.MIGRATIONS))


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


def test_migration_steps_run_once_and_keep_the_data(settings, engine, monkeypatch):
    """A later build adds a column: the day's data survives and the step runs once."""
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE conference SET title = 'Ngày hội nghị thật'")
    calls = []

    def add_column(conn: sa.Connection) -> None:
        calls.append(1)
        conn.exec_driver_sql("ALTER TABLE conference ADD COLUMN hashtag VARCHAR DEFAULT ''")

    latest = len(db.MIGRATIONS)
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, add_column])
    assert db.migrate(engine) == latest
    assert db.migrate(engine) == latest + 1
    assert calls == [1]
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT title, hashtag FROM conference").one()
    assert row == ("Ngày hội nghị thật", "")


def test_a_newer_database_is_refused(engine):
    db.set_meta(engine, "schema_version", str(len(db.MIGRATIONS) + 1))
    with pytest.raises(RuntimeError, match="newer than this build"):
        db.migrate(engine)


def test_cookie_secret_is_made_once_and_kept(engine):
    first = db.cookie_secret(engine, "")
    assert len(first) >= 32
    assert db.cookie_secret(engine, "") == first
    assert db.cookie_secret(engine, "configured") == "configured"


def test_a_version_1_database_gains_the_people_tables_and_keeps_its_day(engine):
    """A database made by the first build (no delegates, gifts or quotas) is upgraded in
    place: its conference and questions stay, the new tables and columns appear."""
    with engine.begin() as conn:
        for table in ("delegate", "giftrecipient", "giftbatch"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        for column in ("seat_rows", "seats_per_row", "gift_batch_size", "gift_batch"):
            conn.exec_driver_sql(f"ALTER TABLE conference DROP COLUMN {column}")
        for column in ("delegate_quota", "gift_quota", "introduce"):
            conn.exec_driver_sql(f"ALTER TABLE listitem DROP COLUMN {column}")
        conn.exec_driver_sql("DELETE FROM listitem WHERE kind = 'group'")
        conn.exec_driver_sql("UPDATE conference SET title = 'Ngày hội nghị năm ngoái'")
    db.set_meta(engine, "schema_version", "1")
    assert db.migrate(engine) == 1
    assert db.get_meta(engine, "schema_version") == str(len(db.MIGRATIONS))
    with Session(engine) as s:
        conf = s.exec(select(Conference)).one()
        assert (conf.title, conf.seat_rows, conf.gift_batch) == ("Ngày hội nghị năm ngoái", 10, 0)
        assert s.exec(select(sa.func.count()).select_from(Question)).one() == 40
        assert s.exec(select(Delegate)).all() == []
