"""Demo conference: the 2024 Hòa Bình dialogue day, seeded when LIVE_SEED_DEMO is on.

Source: Kế hoạch số 34/KH-LĐLĐ ngày 17/6/2024 of Liên đoàn Lao động tỉnh Hòa Bình (section II.5
"Chương trình": eight steps, in order). Offices only, never real names: "[họ tên]" marks where the
MC reads a person's name, "[...]" other values filled in on the day; lines in parentheses are stage
directions, not read aloud. Paragraphs of an MC script are separated by a blank line; a line ending
in a backslash continues the same paragraph (the string holds no newline there).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from live.auth import ensure_role_keys
from live.demo_people import (
    DEMO_DELEGATES,
    DEMO_GIFT_PRESENTERS,
    DEMO_GIFTS,
    DEMO_GROUPS,
    DEMO_UNIT_QUOTAS,
)
from live.demo_questions import DEMO_AGENCIES, DEMO_FIELDS, DEMO_QUESTIONS, DEMO_UNITS
from live.imports import closest
from live.models import (
    AgendaStep,
    Conference,
    Delegate,
    GiftBatch,
    GiftRecipient,
    ListItem,
    Question,
)
from live.protocol import assign_seats

DEMO_CONFERENCE = {
    "slug": "demo",
    "title": (
        "Hội nghị đối thoại giữa Chủ tịch Ủy ban nhân dân tỉnh với công nhân, viên chức, "
        "người lao động tỉnh Hòa Bình năm 2024"
    ),
    "date": "2024-07-05",
    "starts_at": "08:00",
    "venue": "Hội trường UBND tỉnh Hòa Bình",
    "organiser": "Liên đoàn Lao động tỉnh Hòa Bình",
    "banner": (
        "NHIỆT LIỆT CHÀO MỪNG CÁC ĐẠI BIỂU VỀ DỰ HỘI NGHỊ GẶP GỠ, ĐỐI THOẠI GIỮA CHỦ TỊCH "
        "UBND TỈNH HÒA BÌNH VỚI CÔNG NHÂN, VIÊN CHỨC, LAO ĐỘNG NĂM 2024"
    ),
}

DEMO_STEPS = [
    {
        "kind": "ceremony",
        "title": "Tuyên bố lý do, giới thiệu đại biểu, thông qua chương trình",
        "speaker": "Người dẫn chương trình",
        "planned_minutes": 15,
        "show_timer": False,
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Thực hiện Quy chế phối hợp công tác số 02/QCPH-UBND-LĐLĐ ngày 17/11/2023 giữa UBND tỉnh với LĐLĐ \
tỉnh và Kế hoạch số 95/KH-UBND ngày 07/5/2024 của UBND tỉnh, hôm nay, UBND tỉnh phối hợp với LĐLĐ \
tỉnh tổ chức hội nghị đối thoại năm 2024 nhằm lắng nghe, giải đáp kiến nghị, đề xuất của công \
nhân, viên chức, người lao động.

Xin trân trọng giới thiệu: đồng chí [họ tên], Phó Chủ tịch Tổng LĐLĐ Việt Nam; đồng chí [họ tên], \
Phó Bí thư Thường trực Tỉnh ủy; đồng chí [họ tên], Phó Chủ tịch HĐND tỉnh; đồng chí [họ tên], Phó \
Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh; đồng chí [họ tên], Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh; \
đồng chí [họ tên], Phó Trưởng Đoàn ĐBQH tỉnh.

Cùng dự có lãnh đạo các ban Tổ chức, Tuyên giáo, Dân vận, Ủy ban Kiểm tra, Văn phòng Tỉnh ủy; Hội \
Liên hiệp Phụ nữ, Hội Nông dân, Tỉnh đoàn, Hội Cựu chiến binh tỉnh; các sở Lao động - Thương binh \
và Xã hội, Nội vụ, Giáo dục và Đào tạo, Y tế, Văn hóa, Thể thao và Du lịch, Tài chính, Xây dựng; \
Bảo hiểm xã hội tỉnh; Hiệp hội Doanh nghiệp tỉnh; Văn phòng UBND tỉnh.

Về phía LĐLĐ tỉnh có đồng chí [họ tên], Chủ tịch LĐLĐ tỉnh; lãnh đạo LĐLĐ thành phố, các huyện, \
Công đoàn ngành cùng đại biểu doanh nghiệp, công đoàn cơ sở, người lao động; tổng số 250 đại \
biểu.

Dự và đưa tin có Báo Hòa Bình, Báo Lao Động, Báo Nhân Dân, Đài Phát thanh và Truyền hình tỉnh.

Chương trình hội nghị gồm tám nội dung: tuyên bố lý do, giới thiệu đại biểu, thông qua chương \
trình; khai mạc; phóng sự; đối thoại; phát biểu của lãnh đạo Tổng LĐLĐ Việt Nam, Tỉnh ủy; phát \
biểu kết luận của Chủ tịch UBND tỉnh; tặng quà; bế mạc. Nếu nhất trí, xin hội nghị cho một tràng \
pháo tay.""",
    },
    {
        "kind": "speech",
        "title": "Khai mạc hội nghị",
        "speaker": "Đồng chí Chủ tịch UBND tỉnh",
        "planned_minutes": 10,
        "show_timer": False,  # a leader speaks: no countdown before the hall
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Những năm qua, dưới sự lãnh đạo của Tỉnh ủy, sự điều hành của UBND tỉnh, đội ngũ công nhân, viên \
chức, người lao động tỉnh Hòa Bình không ngừng lớn mạnh, đóng góp quan trọng vào sự phát triển \
kinh tế - xã hội của tỉnh. Hội nghị hôm nay là dịp để đồng chí Chủ tịch UBND tỉnh trực tiếp lắng \
nghe tâm tư, nguyện vọng của người lao động, cùng các sở, ngành tháo gỡ những khó khăn, vướng mắc \
trong thực hiện chế độ, chính sách.

Để khai mạc hội nghị, xin trân trọng kính mời đồng chí [họ tên], Phó Bí thư Tỉnh ủy, Chủ tịch \
UBND tỉnh phát biểu khai mạc.

(Sau khi đồng chí Chủ tịch UBND tỉnh phát biểu xong)

Xin trân trọng cảm ơn đồng chí Chủ tịch UBND tỉnh với bài phát biểu khai mạc hội nghị. Những định \
hướng đồng chí vừa nêu sẽ giúp hội nghị tập trung vào các vấn đề thiết thực, đúng trọng tâm, bảo \
đảm dân chủ, công khai, hiệu quả.""",
    },
    {
        "kind": "video",
        "title": "Phóng sự: Tình hình quan hệ lao động, đời sống, việc làm của CNVCLĐ",
        "speaker": "",
        "planned_minutes": 10,
        "show_timer": False,
        "media": "media/phong-su-demo.webm",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Thời gian qua, LĐLĐ tỉnh đã phối hợp với Đài Phát thanh và Truyền hình tỉnh xây dựng phóng sự \
"Tình hình quan hệ lao động, đời sống, việc làm của công nhân, viên chức, lao động trên địa bàn \
tỉnh Hòa Bình". Phóng sự phản ánh những kết quả nổi bật về việc làm, thu nhập, điều kiện làm \
việc, nhà ở của người lao động; những khó khăn, vướng mắc còn tồn tại và hoạt động chăm lo, bảo \
vệ quyền, lợi ích hợp pháp, chính đáng của đoàn viên, người lao động của tổ chức Công đoàn các \
cấp.

Sau đây, xin mời hội nghị cùng theo dõi phóng sự.

(Sau khi phóng sự kết thúc)

Kính thưa hội nghị! Phóng sự vừa rồi đã phần nào phản ánh bức tranh về quan hệ lao động, đời sống \
và việc làm của công nhân, viên chức, lao động trong tỉnh. Đó cũng là những vấn đề sẽ được trao \
đổi, làm rõ tại phần đối thoại tiếp theo.""",
    },
    {
        "kind": "dialogue",
        "title": "Đối thoại: ý kiến, kiến nghị của CNVCLĐ; giải đáp của các sở, ngành",
        "speaker": "Đồng chí Chủ tịch UBND tỉnh (chủ trì)",
        "planned_minutes": 120,
        "show_timer": True,
        "media": "",
        "mc_script": """\
Kính thưa đồng chí Chủ tịch UBND tỉnh! Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Hội nghị chuyển sang phần đối thoại trực tiếp giữa đồng chí Chủ tịch UBND tỉnh với công nhân, \
viên chức, người lao động.

Trước hội nghị, LĐLĐ các huyện, thành phố và Công đoàn ngành đã lấy ý kiến đoàn viên, người lao \
động, gửi về LĐLĐ tỉnh trước ngày 25/6/2024. Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ \
tỉnh đã tổng hợp các câu hỏi, kiến nghị, đề xuất bằng văn bản, gửi Văn phòng UBND tỉnh để các sở, \
ngành chuẩn bị nội dung trả lời. Phần đối thoại sẽ bắt đầu với các câu hỏi đã gửi bằng văn bản, \
sau đó là ý kiến trực tiếp tại hội trường.

Để phần đối thoại đạt hiệu quả, Ban Tổ chức xin phổ biến một số quy định:

Thứ nhất, đại biểu có ý kiến xin giơ tay; cán bộ phục vụ sẽ chuyển đến đại biểu một trong 04 \
micro không dây tại khu vực đại biểu.

Thứ hai, khi phát biểu, đại biểu nêu rõ họ tên, đơn vị công tác; câu hỏi ngắn gọn, cụ thể, đúng \
trọng tâm, thời gian mỗi ý kiến không quá 3 phút.

Thứ ba, theo sự điều hành của đồng chí chủ trì, lãnh đạo các sở, ngành liên quan như các sở Lao \
động - Thương binh và Xã hội, Nội vụ, Giáo dục và Đào tạo, Y tế, Văn hóa, Thể thao và Du lịch, \
Tài chính, Xây dựng; Bảo hiểm xã hội tỉnh; Hiệp hội Doanh nghiệp tỉnh trả lời trực tiếp tại hội \
nghị. Những nội dung chưa trả lời hết sẽ được trả lời bằng văn bản sau hội nghị.

Toàn bộ ý kiến và nội dung giải đáp được thư ký hội nghị ghi lại để xây dựng thông báo kết luận \
của UBND tỉnh.

Xin trân trọng kính mời đồng chí Chủ tịch UBND tỉnh chủ trì phần đối thoại.""",
    },
    {
        "kind": "speech",
        "title": "Phát biểu của lãnh đạo Tổng LĐLĐ Việt Nam và Tỉnh ủy Hòa Bình",
        "speaker": "Đồng chí Phó Chủ tịch Tổng LĐLĐ Việt Nam; Phó Bí thư Thường trực Tỉnh ủy",
        "planned_minutes": 20,
        "show_timer": False,  # a leader speaks: no countdown before the hall
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Hội nghị vinh dự được đón đồng chí [họ tên], Phó Chủ tịch Tổng LĐLĐ Việt Nam về dự. Xin trân \
trọng kính mời đồng chí phát biểu với hội nghị.

(Sau khi đồng chí Phó Chủ tịch Tổng LĐLĐ Việt Nam phát biểu xong)

Xin trân trọng cảm ơn đồng chí Phó Chủ tịch Tổng LĐLĐ Việt Nam về những ý kiến chỉ đạo sâu sắc, \
tâm huyết đối với phong trào công nhân, viên chức, lao động và hoạt động Công đoàn tỉnh Hòa Bình.

Tiếp theo chương trình, xin trân trọng kính mời đồng chí [họ tên], Phó Bí thư Thường trực Tỉnh ủy \
phát biểu với hội nghị.

(Sau khi đồng chí Phó Bí thư Thường trực Tỉnh ủy phát biểu xong)

Xin trân trọng cảm ơn đồng chí Phó Bí thư Thường trực Tỉnh ủy. Hội nghị xin tiếp thu đầy đủ ý \
kiến của đồng chí để các cấp, các ngành và tổ chức Công đoàn tỉnh triển khai thực hiện.""",
    },
    {
        "kind": "speech",
        "title": "Phát biểu kết luận của đồng chí Chủ tịch UBND tỉnh",
        "speaker": "Đồng chí Chủ tịch UBND tỉnh",
        "planned_minutes": 15,
        "show_timer": False,  # a leader speaks: no countdown before the hall
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Trong không khí dân chủ, cởi mở, thẳng thắn, hội nghị đã nghe [số] ý kiến, kiến nghị, đề xuất của \
công nhân, viên chức, người lao động, cùng phần giải đáp của lãnh đạo các sở, ban, ngành có liên \
quan.

Để kết luận hội nghị, xin trân trọng kính mời đồng chí [họ tên], Phó Bí thư Tỉnh ủy, Chủ tịch \
UBND tỉnh phát biểu.

(Sau khi đồng chí Chủ tịch UBND tỉnh phát biểu xong)

Xin trân trọng cảm ơn đồng chí Chủ tịch UBND tỉnh. Ý kiến kết luận của đồng chí sẽ được Văn phòng \
UBND tỉnh phối hợp với LĐLĐ tỉnh cụ thể hóa thành thông báo kết luận, gửi các sở, ngành, địa \
phương, đơn vị triển khai thực hiện; tổ chức Công đoàn các cấp sẽ theo dõi, giám sát và thông tin \
kết quả giải quyết đến đoàn viên, người lao động.""",
    },
    {
        "kind": "gifts",
        "title": "Tặng quà cho đoàn viên, CNLĐ có hoàn cảnh khó khăn",
        "speaker": "Người dẫn chương trình",
        "planned_minutes": 15,
        "show_timer": False,
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Thể hiện sự quan tâm, chia sẻ của cấp ủy, chính quyền và tổ chức Công đoàn, nhân dịp này, LĐLĐ \
tỉnh trao tặng 30 suất quà cho đoàn viên, người lao động có hoàn cảnh khó khăn do LĐLĐ các huyện, \
thành phố và Công đoàn ngành lựa chọn, giới thiệu. Việc trao quà được chia làm ba đợt, mỗi đợt 10 \
suất.

Đợt thứ nhất, xin trân trọng kính mời đồng chí Phó Chủ tịch Tổng LĐLĐ Việt Nam và đồng chí Chủ \
tịch UBND tỉnh lên trao quà. Xin mời 10 đoàn viên, người lao động có tên sau đây lên sân khấu \
nhận quà: [đọc danh sách đợt 1].

Đợt thứ hai, xin trân trọng kính mời đồng chí Phó Bí thư Thường trực Tỉnh ủy và đồng chí Phó Chủ \
tịch HĐND tỉnh lên trao quà. Xin mời 10 đoàn viên, người lao động có tên sau đây lên sân khấu \
nhận quà: [đọc danh sách đợt 2].

Đợt thứ ba, xin trân trọng kính mời đồng chí Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh và đồng chí \
Chủ tịch LĐLĐ tỉnh lên trao quà. Xin mời 10 đoàn viên, người lao động có tên sau đây lên sân khấu \
nhận quà: [đọc danh sách đợt 3].

Xin trân trọng cảm ơn các đồng chí lãnh đạo. Kính chúc các đoàn viên, người lao động vượt qua khó \
khăn, yên tâm lao động, sản xuất và công tác.""",
    },
    {
        "kind": "ceremony",
        "title": "Bế mạc hội nghị",
        "speaker": "Người dẫn chương trình",
        "planned_minutes": 5,
        "show_timer": False,
        "media": "",
        "mc_script": """\
Kính thưa các vị đại biểu, thưa toàn thể hội nghị!

Sau một buổi làm việc khẩn trương, nghiêm túc, dân chủ và cởi mở, Hội nghị đối thoại giữa Chủ \
tịch UBND tỉnh với công nhân, viên chức, người lao động tỉnh Hòa Bình năm 2024 đã hoàn thành toàn \
bộ chương trình đề ra.

Thay mặt Ban Tổ chức, xin trân trọng cảm ơn các đồng chí lãnh đạo Tổng LĐLĐ Việt Nam, Tỉnh ủy, \
HĐND, UBND, Ủy ban MTTQ Việt Nam tỉnh, Đoàn ĐBQH tỉnh; lãnh đạo các sở, ban, ngành đã dự và giải \
đáp ý kiến của người lao động; cảm ơn các cơ quan báo chí đã đưa tin và toàn thể đại biểu đã tích \
cực đóng góp ý kiến.

Các ý kiến, kiến nghị tại hội nghị sẽ tiếp tục được theo dõi, đôn đốc giải quyết theo thông báo \
kết luận của UBND tỉnh.

Kính chúc các vị đại biểu mạnh khỏe, hạnh phúc, thành công; chúc các đại biểu trở về đơn vị an \
toàn.

Hội nghị xin được bế mạc. Xin trân trọng cảm ơn!""",
    },
]


def create_conference(
    engine: Engine,
    conference: dict[str, Any],
    steps: list[dict[str, Any]],
    lists: dict[str, list[str]] | None = None,
    written_questions: Sequence[dict[str, str]] = (),
    people: People | None = None,
) -> Conference:
    """Create a conference with its agenda, lists, written questions, people and role keys,
    in one transaction."""
    now = time.time()
    with Session(engine) as s:
        conf = Conference(**conference, epoch=secrets.token_hex(8))
        s.add(conf)
        s.flush()
        assert conf.id is not None
        for position, step in enumerate(steps, start=1):
            s.add(AgendaStep(conference_id=conf.id, position=position, **step))
        for kind, names in (lists or {}).items():
            for position, name in enumerate(names, start=1):
                s.add(ListItem(conference_id=conf.id, kind=kind, name=name, position=position))
        for number, q in enumerate(written_questions, start=1):
            s.add(
                Question(
                    conference_id=conf.id,
                    number=number,
                    source="written",
                    asker_name=q["asker_name"],
                    asker_position=q["asker_position"],
                    asker_unit=q["unit"],
                    field=q["field"],
                    text=q["text"],
                    agency=q["agency"],
                    status="queued",
                    queue_rank=float(number),
                    created_at=now,
                    queued_at=now,
                )
            )
        s.flush()
        seeded = list(s.exec(select(Question).where(Question.conference_id == conf.id)))
        for question in seeded:  # the hints a moderator sees, as the commands keep them
            others = ((o.id, o.text) for o in seeded if o.id not in (question.id, None))
            question.look_alikes = json.dumps(closest(question.text, others))
        if people is not None:
            add_people(s, conf, people, now)
        ensure_role_keys(s, conf.id)
        s.commit()
        s.refresh(conf)
        return conf


@dataclass
class People:
    """Who comes: groups (name, how many introduced by name), units' quotas (delegates,
    gifts), delegates, gift recipients and who presents each batch of gifts."""

    groups: list[tuple[str, int]]
    unit_quotas: dict[str, tuple[int, int]]
    delegates: list[dict[str, Any]]
    gifts: list[dict[str, Any]]
    gift_presenters: list[str]


def add_people(s: Session, conf: Conference, people: People, now: float) -> None:
    assert conf.id is not None
    groups = [
        ListItem(conference_id=conf.id, kind="group", name=name, position=i, introduce=n)
        for i, (name, n) in enumerate(people.groups, start=1)
    ]
    s.add_all(groups)
    units = list(
        s.exec(
            select(ListItem)
            .where(ListItem.conference_id == conf.id, ListItem.kind == "unit")
            .order_by(ListItem.position)  # type: ignore[arg-type]
        )
    )
    for unit in units:
        unit.delegate_quota, unit.gift_quota = people.unit_quotas.get(unit.name, (20, 0))
    delegates = []
    for number, d in enumerate(people.delegates, start=1):
        fields = {**d, "group_name": d["group"]}
        del fields["group"]
        delegates.append(
            Delegate(conference_id=conf.id, code=f"DB{number:04d}", created_at=now, **fields)
        )
    s.add_all(delegates)
    conf.badges_issued = len(delegates)
    s.flush()
    seats = assign_seats(delegates, groups, units, conf.seat_rows, conf.seats_per_row)
    for delegate in delegates:
        delegate.seat = seats[delegate.id]
    for position, g in enumerate(people.gifts, start=1):
        s.add(GiftRecipient(conference_id=conf.id, position=position, **g))
    for number, presenters in enumerate(people.gift_presenters, start=1):
        s.add(GiftBatch(conference_id=conf.id, number=number, presenters=presenters))


def seed(engine: Engine) -> Conference:
    """The demo conference, as the first start of a new install creates it."""
    lists = {"field": DEMO_FIELDS, "agency": DEMO_AGENCIES, "unit": DEMO_UNITS}
    people = People(DEMO_GROUPS, DEMO_UNIT_QUOTAS, DEMO_DELEGATES, DEMO_GIFTS, DEMO_GIFT_PRESENTERS)
    return create_conference(engine, DEMO_CONFERENCE, DEMO_STEPS, lists, DEMO_QUESTIONS, people)
