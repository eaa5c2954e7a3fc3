"""Demo delegates and gift recipients for the 2024 Hòa Bình dialogue day.

Every person here is invented: the names are generated from common Vietnamese family, middle and
given names with a fixed seed, and no real person's name is used. Only the public offices (Chủ tịch
UBND tỉnh, Phó Giám đốc Sở …) and the organisations named in the plan are real; the companies and
schools are invented, as in live/demo_questions.py.

The lists follow Kế hoạch số 34/KH-LĐLĐ ngày 17/6/2024: section II.3 "Thành phần" (who is invited),
section III.1.4 (250 seats in the hall) and sections III.1.1 and III.2 (30 gift recipients in
difficult circumstances, allocated to the units, lists sent before 25/6/2024).

- DEMO_GROUPS: the composition groups (thành phần) in protocol order of the introduction, each with
  how many of its highest-ranked delegates are introduced by name (3 for the dignitaries' groups and
  the host federation's leaders; 0: the group is introduced as a whole).
- DEMO_UNIT_QUOTAS: for every unit in DEMO_UNITS, (delegate quota, gift quota). The city union and
  each sector union invite 20 delegates; each district union sends 3 (its chairman, vice-chairman and
  one grassroots union chairman). Gift quotas: 3 for the city, 2 per district, 3 for the industrial
  zones' union, 1 for every other sector union: 30 in all.
- DEMO_DELEGATES: 250 delegates, one per seat, each with name, gender, position, unit, group and rank
  (protocol order within the group, 1 = highest), listed in protocol order.
- DEMO_GIFTS: the 30 recipients, each unit's count equal to its gift quota, 2.000.000 đồng each.
- DEMO_GIFT_PRESENTERS: who presents the gifts in each of the 3 batches of 10, by office only.

The 250 delegates (one per seat):
    8 dignitaries: Tổng LĐLĐ Việt Nam 2, Tỉnh ủy 1, HĐND tỉnh 1, UBND tỉnh 2, Ủy ban MTTQ 1,
      Đoàn ĐBQH 1;
   33 other guests: the Party committee's boards 5, the answering agencies and the PPC office 17,
      the mass organisations 4, the press 7;
  187 delegates of the units, exactly their quotas (20 for the city, 20 × 7 sector unions, 3 × 9
      districts): union leaders and staff 42, enterprise and agency leaders and grassroots union
      chairmen 65, workers 80;
   22 leaders and staff of the provincial federation (the host; its staff also serve as
      moderators, secretaries and at the check-in desks): the group that tops the hall up to 250.

All lists are demo data for one year: administrations change, so nothing may depend on these names.
"""

from __future__ import annotations

import random
from typing import Any

from live.demo_questions import DEMO_UNITS

DEMO_GROUPS: list[tuple[str, int]] = [
    ("Tổng LĐLĐ Việt Nam", 3),
    ("Tỉnh ủy", 3),
    ("HĐND tỉnh", 3),
    ("UBND tỉnh", 3),
    ("Ủy ban MTTQ Việt Nam tỉnh", 3),
    ("Đoàn ĐBQH tỉnh", 3),
    ("Các ban Đảng Tỉnh ủy", 0),
    ("Sở, ban, ngành", 0),
    ("Đoàn thể", 0),
    ("LĐLĐ tỉnh", 3),
    ("LĐLĐ huyện, thành phố, Công đoàn ngành", 0),
    ("Doanh nghiệp, công đoàn cơ sở", 0),
    ("Công nhân, viên chức, lao động", 0),
    ("Báo chí", 0),
]

DEMO_UNIT_QUOTAS: dict[str, tuple[int, int]] = {
    "Liên đoàn Lao động thành phố Hòa Bình": (20, 3),
    "Liên đoàn Lao động huyện Lương Sơn": (3, 2),
    "Liên đoàn Lao động huyện Kim Bôi": (3, 2),
    "Liên đoàn Lao động huyện Cao Phong": (3, 2),
    "Liên đoàn Lao động huyện Tân Lạc": (3, 2),
    "Liên đoàn Lao động huyện Mai Châu": (3, 2),
    "Liên đoàn Lao động huyện Đà Bắc": (3, 2),
    "Liên đoàn Lao động huyện Lạc Sơn": (3, 2),
    "Liên đoàn Lao động huyện Lạc Thủy": (3, 2),
    "Liên đoàn Lao động huyện Yên Thủy": (3, 2),
    "Công đoàn ngành Giáo dục": (20, 1),
    "Công đoàn ngành Y tế": (20, 1),
    "Công đoàn Viên chức tỉnh": (20, 1),
    "Công đoàn các Khu công nghiệp tỉnh": (20, 3),
    "Công đoàn ngành Nông nghiệp và Phát triển nông thôn": (20, 1),
    "Công đoàn ngành Giao thông vận tải - Xây dựng": (20, 1),
    "Công đoàn ngành Công Thương": (20, 1),
}

DEMO_GIFT_PRESENTERS: list[str] = [
    "Đồng chí Phó Chủ tịch Tổng LĐLĐ Việt Nam; đồng chí Chủ tịch UBND tỉnh",
    "Đồng chí Phó Bí thư Thường trực Tỉnh ủy; đồng chí Phó Chủ tịch HĐND tỉnh",
    "Đồng chí Chủ tịch LĐLĐ tỉnh; đồng chí Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
]

GIFT_VALUE = 2_000_000  # đồng per recipient ("2.000.000 đồng/suất")

# --- Invented names ------------------------------------------------------------------------------
# Family names common in Hòa Bình (Kinh, Mường: Bùi, Đinh, Quách, Xa; Thái: Hà, Lò, Vì; Dao:
# Triệu), repeated to weight them. Đ/D family names and given names starting with D, Đ, U, Ư and
# the tones of An, Ân, Anh, Ánh exercise Vietnamese sorting (live/collation.py).
_FAMILY = [
    *["Nguyễn", "Bùi", "Đinh"] * 3,
    *["Trần", "Lê", "Phạm", "Hà", "Quách"] * 2,
    *["Hoàng", "Vũ", "Đỗ", "Đặng", "Đào", "Dương", "Ngô", "Xa", "Vì", "Lò", "Trương", "Lương"],
    *["Triệu", "Cao", "Kiều", "Mai"],
]
_MIDDLE = {
    "Nam": [*["Văn"] * 6, "Đức", "Minh", "Quang", "Mạnh", "Công", "Hữu", "Trọng", "Tiến", "Đình"],
    "Nữ": [
        *["Thị"] * 6,
        *["Thị Thu", "Thị Hồng", "Thị Thanh", "Thị Minh", "Thị Ngọc", "Thị Kim", "Thị Hải"],
        *["Thu", "Hồng", "Phương", "Diệu"],
    ],
}
_GIVEN = {
    "Nam": [
        *["An", "Ân", "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đức", "Đông", "Hải"],
        *["Hiếu", "Hòa", "Hùng", "Huy", "Hưng", "Khải", "Khánh", "Kiên", "Lâm", "Long", "Mạnh"],
        *["Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành"],
        *["Toàn", "Trung", "Tuấn", "Tùng", "Uy", "Ứng", "Việt", "Vinh", "Vượng"],
    ],
    "Nữ": [
        *["An", "Anh", "Ánh", "Bích", "Chi", "Dung", "Duyên", "Diệp", "Đào", "Giang", "Hà"],
        *["Hạnh", "Hằng", "Hiền", "Hoa", "Huế", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan"],
        *["Mai", "Nga", "Ngân", "Nguyệt", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo"],
        *["Thơm", "Thủy", "Trang", "Tuyết", "Uyên", "Ưng", "Vân", "Xuân", "Yến"],
    ],
}
# Names that must never come out: the real people named in the plan.
_EXCLUDED = {"Nguyễn Mạnh Cường", "Vương Văn Thanh"}


class _Names:
    """Distinct full names, the same on every run. Given names are dealt from a shuffled deck per
    gender, so every given name in the pool is used before any is used twice."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._taken: set[str] = set(_EXCLUDED)
        self._decks: dict[str, list[str]] = {"Nam": [], "Nữ": []}

    def gender(self, female_share: float) -> str:
        return "Nữ" if self._rng.random() < female_share else "Nam"

    def name(self, gender: str) -> str:
        deck = self._decks[gender]
        if not deck:
            deck.extend(_GIVEN[gender])
            self._rng.shuffle(deck)
        given = deck.pop()
        while True:
            family = self._rng.choice(_FAMILY)
            middle = self._rng.choice(_MIDDLE[gender])
            full = f"{family} {middle} {given}"
            if full not in self._taken and given != family and given not in middle.split():
                self._taken.add(full)
                return full


_names = _Names(2024)

# --- Guests: the groups not tied to a unit -------------------------------------------------------
# (group, unit, position, gender or None for "drawn with the given female share"), in protocol
# order within each group.
_GUESTS: list[tuple[str, str, str, str | None]] = [
    ("Tổng LĐLĐ Việt Nam", "Tổng Liên đoàn Lao động Việt Nam", "Phó Chủ tịch Tổng LĐLĐ Việt Nam", "Nam"),
    ("Tổng LĐLĐ Việt Nam", "Tổng Liên đoàn Lao động Việt Nam", "Phó Trưởng Ban Quan hệ lao động Tổng LĐLĐ Việt Nam", "Nữ"),
    ("Tỉnh ủy", "Tỉnh ủy Hòa Bình", "Phó Bí thư Thường trực Tỉnh ủy", "Nam"),
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh Hòa Bình", "Phó Chủ tịch HĐND tỉnh", "Nữ"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh Hòa Bình", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Nam"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh Hòa Bình", "Phó Chủ tịch UBND tỉnh", "Nam"),
    ("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", "Nữ"),
    ("Đoàn ĐBQH tỉnh", "Đoàn Đại biểu Quốc hội tỉnh Hòa Bình", "Phó Trưởng Đoàn ĐBQH tỉnh", "Nam"),
    ("Các ban Đảng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Phó Trưởng Ban Tổ chức Tỉnh ủy", None),
    ("Các ban Đảng Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy", None),
    ("Các ban Đảng Tỉnh ủy", "Ban Dân vận Tỉnh ủy", "Phó Trưởng Ban Dân vận Tỉnh ủy", None),
    ("Các ban Đảng Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", None),
    ("Các ban Đảng Tỉnh ủy", "Văn phòng Tỉnh ủy", "Phó Chánh Văn phòng Tỉnh ủy", None),
    # The answering agencies of DEMO_AGENCIES (Liên đoàn Lao động tỉnh is the host: group "LĐLĐ
    # tỉnh"), leaders first, then the heads of the divisions most asked about, then the PPC office.
    ("Sở, ban, ngành", "Sở Lao động - Thương binh và Xã hội", "Giám đốc Sở Lao động - Thương binh và Xã hội", None),
    ("Sở, ban, ngành", "Sở Nội vụ", "Phó Giám đốc Sở Nội vụ", None),
    ("Sở, ban, ngành", "Sở Giáo dục và Đào tạo", "Phó Giám đốc Sở Giáo dục và Đào tạo", None),
    ("Sở, ban, ngành", "Sở Y tế", "Phó Giám đốc Sở Y tế", None),
    ("Sở, ban, ngành", "Sở Văn hoá, Thể thao và Du lịch", "Phó Giám đốc Sở Văn hoá, Thể thao và Du lịch", None),
    ("Sở, ban, ngành", "Sở Tài chính", "Phó Giám đốc Sở Tài chính", None),
    ("Sở, ban, ngành", "Sở Xây dựng", "Phó Giám đốc Sở Xây dựng", None),
    ("Sở, ban, ngành", "Bảo hiểm xã hội tỉnh", "Phó Giám đốc Bảo hiểm xã hội tỉnh", None),
    ("Sở, ban, ngành", "Hiệp hội doanh nghiệp tỉnh", "Phó Chủ tịch Hiệp hội doanh nghiệp tỉnh", None),
    ("Sở, ban, ngành", "Sở Kế hoạch và Đầu tư", "Phó Giám đốc Sở Kế hoạch và Đầu tư", None),
    ("Sở, ban, ngành", "Ban Quản lý các khu công nghiệp tỉnh", "Phó Trưởng Ban Quản lý các khu công nghiệp tỉnh", None),
    ("Sở, ban, ngành", "Sở Tài nguyên và Môi trường", "Phó Giám đốc Sở Tài nguyên và Môi trường", None),
    ("Sở, ban, ngành", "Văn phòng UBND tỉnh", "Phó Chánh Văn phòng UBND tỉnh", None),
    ("Sở, ban, ngành", "Sở Lao động - Thương binh và Xã hội", "Trưởng phòng Lao động - Tiền lương - Bảo hiểm xã hội, Sở Lao động - Thương binh và Xã hội", None),
    ("Sở, ban, ngành", "Sở Nội vụ", "Trưởng phòng Công chức, viên chức, Sở Nội vụ", None),
    ("Sở, ban, ngành", "Bảo hiểm xã hội tỉnh", "Trưởng phòng Quản lý thu, Bảo hiểm xã hội tỉnh", None),
    ("Sở, ban, ngành", "Văn phòng UBND tỉnh", "Trưởng phòng Khoa giáo - Văn xã, Văn phòng UBND tỉnh", None),
    ("Đoàn thể", "Hội Liên hiệp Phụ nữ tỉnh", "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh", "Nữ"),
    ("Đoàn thể", "Hội Nông dân tỉnh", "Phó Chủ tịch Hội Nông dân tỉnh", None),
    ("Đoàn thể", "Tỉnh đoàn Hòa Bình", "Phó Bí thư Tỉnh đoàn", None),
    ("Đoàn thể", "Hội Cựu chiến binh tỉnh", "Phó Chủ tịch Hội Cựu chiến binh tỉnh", "Nam"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chủ tịch LĐLĐ tỉnh", "Nam"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Chủ tịch LĐLĐ tỉnh", "Nữ"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Chủ tịch LĐLĐ tỉnh", "Nam"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Ủy viên Ban Thường vụ, Trưởng Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo - Nữ công LĐLĐ tỉnh", "Nữ"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Trưởng Ban Tài chính LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chánh Văn phòng LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Trưởng Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Trưởng Ban Tổ chức LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Trưởng Ban Tuyên giáo - Nữ công LĐLĐ tỉnh", "Nữ"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Trưởng Ban Tài chính LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Phó Chánh Văn phòng LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Chính sách Pháp luật và Quan hệ lao động LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Tổ chức LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Tuyên giáo - Nữ công LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Ban Tuyên giáo - Nữ công LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Văn phòng LĐLĐ tỉnh", None),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh", "Chuyên viên Văn phòng LĐLĐ tỉnh", None),
    ("Báo chí", "Báo Hòa Bình", "Phóng viên Báo Hòa Bình", None),
    ("Báo chí", "Báo Hòa Bình", "Phóng viên ảnh Báo Hòa Bình", None),
    ("Báo chí", "Báo Lao Động", "Phóng viên Báo Lao Động", None),
    ("Báo chí", "Báo Lao Động", "Phóng viên Báo Lao Động", None),
    ("Báo chí", "Báo Nhân Dân", "Phóng viên Báo Nhân Dân thường trú tại Hòa Bình", None),
    ("Báo chí", "Đài Phát thanh và Truyền hình tỉnh", "Phóng viên Đài Phát thanh và Truyền hình tỉnh", None),
    ("Báo chí", "Đài Phát thanh và Truyền hình tỉnh", "Quay phim Đài Phát thanh và Truyền hình tỉnh", None),
]  # fmt: skip

# --- Units: the city union, the district unions, the sector unions ---------------------------------
# A district union sends its chairman, vice-chairman (group "LĐLĐ huyện, thành phố, Công đoàn
# ngành") and one grassroots union chairman (group "Doanh nghiệp, công đoàn cơ sở").
_DISTRICT_CDCS = {
    "Liên đoàn Lao động huyện Lương Sơn": "Chủ tịch CĐCS Công ty TNHH Giày da Tân Phúc, huyện Lương Sơn",
    "Liên đoàn Lao động huyện Kim Bôi": "Chủ tịch CĐCS Công ty TNHH May Kim Phát, huyện Kim Bôi",
    "Liên đoàn Lao động huyện Cao Phong": "Chủ tịch CĐCS Công ty TNHH Chế biến thực phẩm Bình An, huyện Cao Phong",
    "Liên đoàn Lao động huyện Tân Lạc": "Chủ tịch CĐCS Công ty TNHH May Phong Lan, huyện Tân Lạc",
    "Liên đoàn Lao động huyện Mai Châu": "Chủ tịch CĐCS Công ty TNHH May Mai Sơn, huyện Mai Châu",
    "Liên đoàn Lao động huyện Đà Bắc": "Chủ tịch CĐCS Công ty TNHH Chế biến lâm sản Tiền Phong, huyện Đà Bắc",
    "Liên đoàn Lao động huyện Lạc Sơn": "Chủ tịch CĐCS Công ty TNHH Chế biến nông sản Mường Vang, huyện Lạc Sơn",
    "Liên đoàn Lao động huyện Lạc Thủy": "Chủ tịch CĐCS Công ty TNHH Giày da Phú Lạc, huyện Lạc Thủy",
    "Liên đoàn Lao động huyện Yên Thủy": "Chủ tịch CĐCS Công ty TNHH Thực phẩm Hồng Lĩnh, huyện Yên Thủy",
}  # fmt: skip

# The city union and each sector union invite 20: its chairman, vice-chairman and one staff member
# (3), enterprise or agency leaders (3) and grassroots union chairmen (4), and workers (10). The
# female share of each unit's delegates follows its trades (schools and hospitals, garment and
# electronics mostly women; construction and quarrying mostly men).
_ROSTERS: dict[str, dict[str, Any]] = {
    "Liên đoàn Lao động thành phố Hòa Bình": {
        "female_share": 0.55,
        "leaders": [
            "Giám đốc Công ty TNHH May mặc Hưng Thịnh Hòa Bình (KCN Bờ trái sông Đà)",
            "Phó Giám đốc Công ty CP Môi trường đô thị Sông Đà",
            "Giám đốc Công ty TNHH Dịch vụ vận tải Đồng Tiến",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Công ty TNHH Bao bì Sông Đà Xanh (KCN Bờ trái sông Đà)",
            "Chủ tịch CĐCS Công ty TNHH May Thái Bình Dương Hòa Bình (KCN Bờ trái sông Đà)",
            "Chủ tịch CĐCS Công ty CP Môi trường đô thị Sông Đà",
            "Chủ tịch CĐCS Công ty CP Cấp nước Hòa Sơn",
        ],
        "workers": [
            "Công nhân Công ty TNHH Bao bì Sông Đà Xanh (KCN Bờ trái sông Đà)",
            "Tổ trưởng sản xuất Công ty TNHH Bao bì Sông Đà Xanh (KCN Bờ trái sông Đà)",
            "Công nhân may Công ty TNHH May mặc Hưng Thịnh Hòa Bình (KCN Bờ trái sông Đà)",
            "Công nhân may Công ty TNHH May Thái Bình Dương Hòa Bình (KCN Bờ trái sông Đà)",
            "Tổ trưởng tổ may Công ty TNHH May Thái Bình Dương Hòa Bình (KCN Bờ trái sông Đà)",
            "Công nhân vệ sinh môi trường Công ty CP Môi trường đô thị Sông Đà",
            "Công nhân thu gom rác Công ty CP Môi trường đô thị Sông Đà",
            "Công nhân vận hành Công ty CP Cấp nước Hòa Sơn",
            "Nhân viên thu ngân Công ty CP Cấp nước Hòa Sơn",
            "Lái xe Công ty TNHH Dịch vụ vận tải Đồng Tiến",
        ],
    },
    "Công đoàn ngành Giáo dục": {
        "female_share": 0.75,
        "leaders": [
            "Hiệu trưởng Trường THPT Sơn Cước, huyện Đà Bắc",
            "Phó Hiệu trưởng Trường THPT Hoa Sơn, thành phố Hòa Bình",
            "Giám đốc Trung tâm GDNN-GDTX Yên Lạc, huyện Yên Thủy",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Trường THPT Hoa Sơn, thành phố Hòa Bình",
            "Chủ tịch CĐCS Trường THPT Đồi Thông, huyện Lương Sơn",
            "Chủ tịch CĐCS Trường Phổ thông Dân tộc nội trú Mường Bi, huyện Tân Lạc",
            "Chủ tịch CĐCS Trung tâm GDNN-GDTX Yên Lạc, huyện Yên Thủy",
        ],
        "workers": [
            "Giáo viên Trường THPT Sơn Cước, huyện Đà Bắc",
            "Giáo viên Trường THPT Hoa Sơn, thành phố Hòa Bình",
            "Nhân viên thư viện Trường THPT Hoa Sơn, thành phố Hòa Bình",
            "Giáo viên Trường THPT Đồi Thông, huyện Lương Sơn",
            "Nhân viên y tế Trường THPT Đồi Thông, huyện Lương Sơn",
            "Giáo viên Trường Phổ thông Dân tộc nội trú Mường Bi, huyện Tân Lạc",
            "Kế toán Trường Phổ thông Dân tộc nội trú Mường Bi, huyện Tân Lạc",
            "Giáo viên Trung tâm GDNN-GDTX Yên Lạc, huyện Yên Thủy",
            "Giáo viên Trường THPT Cửa Rừng, huyện Mai Châu",
            "Nhân viên bảo vệ Trường THPT Cửa Rừng, huyện Mai Châu",
        ],
    },
    "Công đoàn ngành Y tế": {
        "female_share": 0.7,
        "leaders": [
            "Phó Giám đốc Bệnh viện Đa khoa tỉnh",
            "Giám đốc Trung tâm Y tế huyện Lạc Sơn",
            "Phó Giám đốc Trung tâm Y tế huyện Mai Châu",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Bệnh viện Đa khoa tỉnh",
            "Chủ tịch CĐCS Bệnh viện Y học cổ truyền tỉnh",
            "Chủ tịch CĐCS Trung tâm Kiểm soát bệnh tật tỉnh",
            "Chủ tịch CĐCS Trung tâm Y tế huyện Lạc Sơn",
        ],
        "workers": [
            "Điều dưỡng Bệnh viện Đa khoa tỉnh",
            "Bác sĩ Khoa Hồi sức cấp cứu, Bệnh viện Đa khoa tỉnh",
            "Hộ lý Bệnh viện Đa khoa tỉnh",
            "Điều dưỡng Bệnh viện Y học cổ truyền tỉnh",
            "Kỹ thuật viên xét nghiệm Trung tâm Kiểm soát bệnh tật tỉnh",
            "Hộ sinh Trung tâm Y tế huyện Lạc Sơn",
            "Dược sĩ Trung tâm Y tế huyện Mai Châu",
            "Điều dưỡng Trung tâm Y tế huyện Mai Châu",
            "Y sĩ Trạm Y tế xã Tân Minh, huyện Đà Bắc",
            "Bác sĩ Trạm Y tế xã Vĩnh Đồng, huyện Kim Bôi",
        ],
    },
    "Công đoàn Viên chức tỉnh": {
        "female_share": 0.5,
        "leaders": [
            "Phó Chánh Thanh tra tỉnh",
            "Phó Giám đốc Sở Tư pháp",
            "Phó Giám đốc Trung tâm Xúc tiến đầu tư tỉnh",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Văn phòng Đoàn ĐBQH và HĐND tỉnh",
            "Chủ tịch CĐCS Sở Tư pháp",
            "Chủ tịch CĐCS Thanh tra tỉnh",
            "Chủ tịch CĐCS Sở Khoa học và Công nghệ",
        ],
        "workers": [
            "Chuyên viên Văn phòng Đoàn ĐBQH và HĐND tỉnh",
            "Lái xe Văn phòng Đoàn ĐBQH và HĐND tỉnh",
            "Chuyên viên Sở Tư pháp",
            "Thanh tra viên, Thanh tra tỉnh",
            "Chuyên viên Sở Khoa học và Công nghệ",
            "Kế toán Sở Khoa học và Công nghệ",
            "Viên chức Trung tâm Xúc tiến đầu tư tỉnh",
            "Viên chức Trung tâm Trợ giúp pháp lý nhà nước tỉnh",
            "Chuyên viên Sở Công Thương",
            "Viên chức Trung tâm Công nghệ thông tin và Truyền thông tỉnh",
        ],
    },
    "Công đoàn các Khu công nghiệp tỉnh": {
        "female_share": 0.7,
        "leaders": [
            "Giám đốc nhân sự Công ty TNHH Nhựa Việt Hưng (KCN Bờ trái sông Đà)",
            "Phó Giám đốc Công ty TNHH Cơ khí Minh Đạt (KCN Lương Sơn)",
            "Trưởng phòng Hành chính - Nhân sự Công ty TNHH Linh kiện điện tử Phú Thành (KCN Lương Sơn)",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Công ty TNHH Linh kiện điện tử Phú Thành (KCN Lương Sơn)",
            "Chủ tịch CĐCS Công ty TNHH May Tiến Đạt (KCN Lương Sơn)",
            "Chủ tịch CĐCS Công ty TNHH Điện tử Quang Minh (KCN Lương Sơn)",
            "Chủ tịch CĐCS Công ty TNHH Dệt kim Nam Sơn (KCN Bờ trái sông Đà)",
        ],
        "workers": [
            "Công nhân lắp ráp Công ty TNHH Linh kiện điện tử Phú Thành (KCN Lương Sơn)",
            "Công nhân kiểm tra chất lượng Công ty TNHH Linh kiện điện tử Phú Thành (KCN Lương Sơn)",
            "Công nhân may Công ty TNHH May Tiến Đạt (KCN Lương Sơn)",
            "Tổ trưởng chuyền may Công ty TNHH May Tiến Đạt (KCN Lương Sơn)",
            "Công nhân Công ty TNHH Điện tử Quang Minh (KCN Lương Sơn)",
            "Công nhân Công ty TNHH Nhựa Việt Hưng (KCN Bờ trái sông Đà)",
            "Công nhân vận hành máy ép Công ty TNHH Nhựa Việt Hưng (KCN Bờ trái sông Đà)",
            "Công nhân hàn Công ty TNHH Cơ khí Minh Đạt (KCN Lương Sơn)",
            "Công nhân Công ty TNHH Dệt kim Nam Sơn (KCN Bờ trái sông Đà)",
            "Công nhân Công ty TNHH Sơn phủ Kim Long (KCN Lương Sơn)",
        ],
    },
    "Công đoàn ngành Nông nghiệp và Phát triển nông thôn": {
        "female_share": 0.45,
        "leaders": [
            "Giám đốc Công ty CP Chè Đồi Hoa, huyện Tân Lạc",
            "Phó Giám đốc Công ty TNHH Lâm nghiệp Đồng Bảng, huyện Mai Châu",
            "Giám đốc Công ty TNHH Chăn nuôi Cao Sơn, huyện Đà Bắc",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Công ty CP Chè Đồi Hoa, huyện Tân Lạc",
            "Chủ tịch CĐCS Công ty TNHH Lâm nghiệp Đồng Bảng, huyện Mai Châu",
            "Chủ tịch CĐCS Chi cục Kiểm lâm tỉnh",
            "Chủ tịch CĐCS Công ty TNHH Thủy lợi Đồng Tâm",
        ],
        "workers": [
            "Công nhân Công ty CP Chè Đồi Hoa, huyện Tân Lạc",
            "Công nhân chế biến chè Công ty CP Chè Đồi Hoa, huyện Tân Lạc",
            "Công nhân trồng rừng Công ty TNHH Lâm nghiệp Đồng Bảng, huyện Mai Châu",
            "Công nhân bảo vệ rừng Công ty TNHH Lâm nghiệp Đồng Bảng, huyện Mai Châu",
            "Kiểm lâm viên Hạt Kiểm lâm huyện Đà Bắc",
            "Công nhân vận hành trạm bơm Công ty TNHH Thủy lợi Đồng Tâm",
            "Công nhân Công ty TNHH Chăn nuôi Cao Sơn, huyện Đà Bắc",
            "Kỹ sư nông nghiệp Trung tâm Khuyến nông tỉnh",
            "Công nhân Công ty TNHH Giống cây trồng Hòa An",
            "Công nhân thủy nông Công ty TNHH Thủy lợi Đồng Tâm",
        ],
    },
    "Công đoàn ngành Giao thông vận tải - Xây dựng": {
        "female_share": 0.2,
        "leaders": [
            "Giám đốc Công ty CP Xây dựng giao thông Hòa Phú",
            "Phó Giám đốc Công ty CP Vận tải khách Hòa Bình Xanh",
            "Giám đốc Công ty TNHH Xây dựng Trường An Hòa Bình",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Công ty CP Xây dựng giao thông Hòa Phú",
            "Chủ tịch CĐCS Công ty CP Vận tải khách Hòa Bình Xanh",
            "Chủ tịch CĐCS Công ty CP Quản lý và sửa chữa đường bộ Sông Đà",
            "Chủ tịch CĐCS Công ty TNHH Bê tông Lạc Thịnh",
        ],
        "workers": [
            "Công nhân xây dựng Công ty CP Xây dựng giao thông Hòa Phú",
            "Công nhân vận hành máy lu Công ty CP Xây dựng giao thông Hòa Phú",
            "Lái xe Công ty CP Vận tải khách Hòa Bình Xanh",
            "Nhân viên bán vé Công ty CP Vận tải khách Hòa Bình Xanh",
            "Công nhân duy tu đường bộ Công ty CP Quản lý và sửa chữa đường bộ Sông Đà",
            "Công nhân tuần đường Công ty CP Quản lý và sửa chữa đường bộ Sông Đà",
            "Công nhân Công ty TNHH Bê tông Lạc Thịnh",
            "Kỹ sư giám sát Công ty TNHH Bê tông Lạc Thịnh",
            "Công nhân xây dựng Công ty TNHH Xây dựng Trường An Hòa Bình",
            "Thợ cốp pha Công ty TNHH Xây dựng Trường An Hòa Bình",
        ],
    },
    "Công đoàn ngành Công Thương": {
        "female_share": 0.4,
        "leaders": [
            "Giám đốc Công ty CP Gạch Tuynel Hợp Thành",
            "Phó Giám đốc Công ty CP Khai thác đá Thành Nam",
            "Giám đốc Công ty CP Thương mại Hòa Thịnh",
        ],
        "cdcs": [
            "Chủ tịch CĐCS Công ty CP Khai thác đá Thành Nam",
            "Chủ tịch CĐCS Công ty TNHH Xi măng Sông Bôi",
            "Chủ tịch CĐCS Công ty CP Thương mại Hòa Thịnh",
            "Chủ tịch CĐCS Công ty TNHH Xây lắp điện Phúc An",
        ],
        "workers": [
            "Công nhân khai thác đá Công ty CP Khai thác đá Thành Nam",
            "Thợ nổ mìn Công ty CP Khai thác đá Thành Nam",
            "Công nhân Công ty CP Gạch Tuynel Hợp Thành",
            "Công nhân lò nung Công ty CP Gạch Tuynel Hợp Thành",
            "Công nhân Công ty TNHH Xi măng Sông Bôi",
            "Công nhân vận hành lò Công ty TNHH Xi măng Sông Bôi",
            "Nhân viên bán hàng Công ty CP Thương mại Hòa Thịnh",
            "Thủ kho Công ty CP Thương mại Hòa Thịnh",
            "Công nhân điện Công ty TNHH Xây lắp điện Phúc An",
            "Công nhân Công ty TNHH Chế biến gỗ Hòa Thắng",
        ],
    },
}

# Trades that are, in practice, all men or all women: the gender is fixed by the position.
_GENDER_BY_TRADE = {
    "Lái xe": "Nam",
    "Thợ": "Nam",
    "Công nhân khai thác đá": "Nam",
    "Công nhân hàn": "Nam",
    "Công nhân bảo vệ rừng": "Nam",
    "Kiểm lâm viên": "Nam",
    "Nhân viên bảo vệ": "Nam",
    "Hộ sinh": "Nữ",
}

_UNIONS = "LĐLĐ huyện, thành phố, Công đoàn ngành"
_GRASSROOTS = "Doanh nghiệp, công đoàn cơ sở"
_WORKERS = "Công nhân, viên chức, lao động"


def _short(unit: str) -> str:
    """ "Liên đoàn Lao động huyện Kim Bôi" → "LĐLĐ huyện Kim Bôi", for positions."""
    return unit.replace("Liên đoàn Lao động", "LĐLĐ")


def _build_delegates() -> list[dict[str, Any]]:
    # (group, tier, unit, position, gender, female share): the rank within a group follows the
    # tier, then the order of listing (guests as listed; units in DEMO_UNITS order).
    rows: list[tuple[str, int, str, str, str | None, float]] = [
        (group, 0, unit, position, gender, 0.4) for group, unit, position, gender in _GUESTS
    ]
    for unit in DEMO_UNITS:
        short = _short(unit)
        if unit in _DISTRICT_CDCS:
            rows.append((_UNIONS, 1, unit, f"Chủ tịch {short}", None, 0.35))
            rows.append((_UNIONS, 2, unit, f"Phó Chủ tịch {short}", None, 0.5))
            rows.append((_GRASSROOTS, 2, unit, _DISTRICT_CDCS[unit], None, 0.5))
        elif unit in _ROSTERS:
            roster = _ROSTERS[unit]
            share = float(roster["female_share"])
            rows.append((_UNIONS, 1, unit, f"Chủ tịch {short}", None, 0.35))
            rows.append((_UNIONS, 2, unit, f"Phó Chủ tịch {short}", None, 0.5))
            rows.append((_UNIONS, 3, unit, f"Chuyên viên {short}", None, share))
            rows += [(_GRASSROOTS, 1, unit, p, None, 0.35) for p in roster["leaders"]]
            rows += [(_GRASSROOTS, 2, unit, p, None, share) for p in roster["cdcs"]]
            rows += [(_WORKERS, 1, unit, p, None, share) for p in roster["workers"]]

    order = {group: index for index, (group, _) in enumerate(DEMO_GROUPS)}
    ranked = sorted(enumerate(rows), key=lambda item: (order[item[1][0]], item[1][1], item[0]))
    delegates: list[dict[str, Any]] = []
    rank = 0
    previous_group = ""
    for _, (group, _tier, unit, position, fixed_gender, share) in ranked:
        rank = rank + 1 if group == previous_group else 1
        previous_group = group
        trade = next((g for t, g in _GENDER_BY_TRADE.items() if position.startswith(t)), None)
        gender = fixed_gender or trade or _names.gender(share)
        delegates.append(
            {
                "name": _names.name(gender),
                "gender": gender,
                "position": position,
                "unit": unit,
                "group": group,
                "rank": rank,
            }
        )
    return delegates


DEMO_DELEGATES: list[dict[str, Any]] = _build_delegates()

# --- Gift recipients ----------------------------------------------------------------------------
# (unit, gender, circumstances), in DEMO_UNITS order; each unit as many as its gift quota.
_GIFT_CASES: list[tuple[str, str, str]] = [
    ("Liên đoàn Lao động thành phố Hòa Bình", "Nữ", "Công nhân may, chồng mất do tai nạn lao động, một mình nuôi hai con nhỏ"),
    ("Liên đoàn Lao động thành phố Hòa Bình", "Nam", "Công nhân vệ sinh môi trường, bị ung thư gan đang điều trị dài ngày"),
    ("Liên đoàn Lao động thành phố Hòa Bình", "Nữ", "Công nhân bao bì, con bị bại não bẩm sinh, gia đình thuộc hộ cận nghèo"),
    ("Liên đoàn Lao động huyện Lương Sơn", "Nữ", "Công nhân giày da, mẹ đơn thân nuôi con bị bệnh tim bẩm sinh"),
    ("Liên đoàn Lao động huyện Lương Sơn", "Nam", "Công nhân chế biến gỗ, bị tai nạn lao động mất hai ngón tay, vợ không có việc làm"),
    ("Liên đoàn Lao động huyện Kim Bôi", "Nữ", "Công nhân may, nhà bị sạt lở đất trong mùa mưa năm 2023, đang ở nhờ nhà người thân"),
    ("Liên đoàn Lao động huyện Kim Bôi", "Nam", "Công nhân chế biến gỗ, vợ bị suy thận phải chạy thận định kỳ, hai con đang đi học"),
    ("Liên đoàn Lao động huyện Cao Phong", "Nữ", "Công nhân chế biến thực phẩm, chồng bị tai biến nằm liệt giường, nuôi mẹ già"),
    ("Liên đoàn Lao động huyện Cao Phong", "Nữ", "Công nhân chế biến nông sản, bố mẹ mất sớm, đang nuôi hai em nhỏ ăn học"),
    ("Liên đoàn Lao động huyện Tân Lạc", "Nam", "Công nhân may, bị thoái hóa cột sống nặng, thu nhập bấp bênh"),
    ("Liên đoàn Lao động huyện Tân Lạc", "Nữ", "Công nhân may, con trai bị bệnh máu khó đông phải điều trị thường xuyên"),
    ("Liên đoàn Lao động huyện Mai Châu", "Nữ", "Công nhân may, chồng mất, nuôi ba con nhỏ, gia đình thuộc hộ nghèo"),
    ("Liên đoàn Lao động huyện Mai Châu", "Nam", "Nhân viên khu du lịch sinh thái, nhà bị cháy đầu năm 2024, mất toàn bộ tài sản"),
    ("Liên đoàn Lao động huyện Đà Bắc", "Nữ", "Công nhân chế biến lâm sản, chồng bị tai nạn giao thông mất sức lao động"),
    ("Liên đoàn Lao động huyện Đà Bắc", "Nam", "Công nhân chế biến lâm sản, bị ung thư phổi đang điều trị"),
    ("Liên đoàn Lao động huyện Lạc Sơn", "Nữ", "Công nhân chế biến nông sản, con bị tự kỷ, chồng làm nông thu nhập thấp"),
    ("Liên đoàn Lao động huyện Lạc Sơn", "Nữ", "Công nhân may, mẹ đơn thân, bản thân bị bệnh lupus ban đỏ"),
    ("Liên đoàn Lao động huyện Lạc Thủy", "Nam", "Công nhân giày da, vợ mất vì bệnh hiểm nghèo, nuôi hai con nhỏ"),
    ("Liên đoàn Lao động huyện Lạc Thủy", "Nữ", "Công nhân dệt may, nhà ở xuống cấp nghiêm trọng, chồng thường xuyên ốm đau"),
    ("Liên đoàn Lao động huyện Yên Thủy", "Nữ", "Công nhân chế biến thực phẩm, bị ung thư vú đang điều trị hóa chất"),
    ("Liên đoàn Lao động huyện Yên Thủy", "Nam", "Công nhân chế biến lâm sản, bị tai nạn lao động gãy chân, nghỉ việc dài ngày"),
    ("Công đoàn ngành Giáo dục", "Nữ", "Nhân viên nấu ăn trường nội trú, chồng mất, nuôi con bị khuyết tật"),
    ("Công đoàn ngành Y tế", "Nữ", "Hộ lý, chồng bị suy tim nặng, hai con đang học đại học"),
    ("Công đoàn Viên chức tỉnh", "Nam", "Nhân viên bảo vệ, bị ung thư dạ dày, vợ không có việc làm ổn định"),
    ("Công đoàn các Khu công nghiệp tỉnh", "Nữ", "Công nhân điện tử, chồng bỏ đi, một mình nuôi hai con nhỏ, thuê trọ gần khu công nghiệp"),
    ("Công đoàn các Khu công nghiệp tỉnh", "Nữ", "Công nhân may, con bị ung thư máu đang điều trị dài ngày tại Hà Nội"),
    ("Công đoàn các Khu công nghiệp tỉnh", "Nam", "Công nhân cơ khí, bị tai nạn lao động dập nát bàn tay, đang điều trị"),
    ("Công đoàn ngành Nông nghiệp và Phát triển nông thôn", "Nữ", "Công nhân chè, chồng mất do đuối nước, nuôi mẹ chồng già yếu và hai con nhỏ"),
    ("Công đoàn ngành Giao thông vận tải - Xây dựng", "Nam", "Công nhân xây dựng, ngã giàn giáo chấn thương cột sống, mất khả năng lao động"),
    ("Công đoàn ngành Công Thương", "Nam", "Công nhân khai thác đá, vợ bị bệnh tâm thần, nuôi ba con nhỏ"),
]  # fmt: skip

DEMO_GIFTS: list[dict[str, Any]] = [
    {"name": _names.name(gender), "unit": unit, "circumstances": text, "value": GIFT_VALUE}
    for unit, gender, text in _GIFT_CASES
]
