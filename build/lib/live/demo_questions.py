"""Demo written questions for the 2024 Hòa Bình dialogue day, and the lists they draw on.

Before the conference the district/city unions and sector unions (LĐLĐ huyện, thành phố, Công
đoàn ngành) collect questions, recommendations and proposals (câu hỏi, kiến nghị, đề xuất) and send
them before 25/6/2024; Ban Chính sách Pháp luật và Quan hệ lao động of the provincial federation
compiles them for the PPC office (Kế hoạch số 34/KH-LĐLĐ ngày 17/6/2024, sections II.1 and III.2).

- DEMO_FIELDS: the fields (lĩnh vực) a question is filed under; "Khác" catches the rest.
- DEMO_AGENCIES: the answering departments named in the plan (section II.3), in its order, then a
  few more that the questions need.
- DEMO_UNITS: the units that send delegates and questions: the city and the nine district labour
  federations of Hòa Bình in 2024 (huyện Kỳ Sơn was merged into the city by a resolution of
  December 2019), then the sector unions.
- DEMO_QUESTIONS: 40 written questions, each with the sending unit, the asker's name and position,
  its field and the agency asked to answer; every value is one of the lists above. Three pairs are
  near-duplicates (same concern, other wording, other unit), to demonstrate merging; the second of
  each pair is marked "# near-duplicate of #N" (N counted from 1).

Every person, company and school here is invented; only the public offices are real. All lists are
demo data for one year: administrations change (since 2025 Sở LĐTBXH has been merged into Sở Nội
vụ), so nothing may depend on these exact names.
"""

from __future__ import annotations

DEMO_FIELDS = [
    "Tiền lương – việc làm",
    "BHXH – BHYT",
    "Nhà ở xã hội",
    "Giáo dục – trường học cho con CNLĐ",
    "Y tế – khám sức khỏe",
    "An toàn, vệ sinh lao động",
    "Thiết chế công đoàn – văn hóa",
    "Chính sách cán bộ công đoàn",
    "Khác",
]

DEMO_AGENCIES = [
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Nội vụ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hoá, Thể thao và Du lịch",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Bảo hiểm xã hội tỉnh",
    "Hiệp hội doanh nghiệp tỉnh",
    "Sở Kế hoạch và Đầu tư",
    "Ban Quản lý các khu công nghiệp tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Sở Tài nguyên và Môi trường",
]

DEMO_UNITS = [
    "Liên đoàn Lao động thành phố Hòa Bình",
    "Liên đoàn Lao động huyện Lương Sơn",
    "Liên đoàn Lao động huyện Kim Bôi",
    "Liên đoàn Lao động huyện Cao Phong",
    "Liên đoàn Lao động huyện Tân Lạc",
    "Liên đoàn Lao động huyện Mai Châu",
    "Liên đoàn Lao động huyện Đà Bắc",
    "Liên đoàn Lao động huyện Lạc Sơn",
    "Liên đoàn Lao động huyện Lạc Thủy",
    "Liên đoàn Lao động huyện Yên Thủy",
    "Công đoàn ngành Giáo dục",
    "Công đoàn ngành Y tế",
    "Công đoàn Viên chức tỉnh",
    "Công đoàn các Khu công nghiệp tỉnh",
    "Công đoàn ngành Nông nghiệp và Phát triển nông thôn",
    "Công đoàn ngành Giao thông vận tải - Xây dựng",
    "Công đoàn ngành Công Thương",
]

DEMO_QUESTIONS = [
    {
        "unit": "Công đoàn các Khu công nghiệp tỉnh",
        "asker_name": "Đinh Thị Thu Hường",
        "asker_position": "Công nhân Công ty TNHH Linh kiện điện tử Phú Thành (KCN Lương Sơn)",
        "field": "Tiền lương – việc làm",
        "text": (
            "Huyện Lương Sơn đang áp dụng mức lương tối thiểu vùng III, trong khi các huyện giáp "
            "ranh của thành phố Hà Nội áp dụng vùng I, vùng II nên nhiều công nhân bỏ sang Hà "
            "Nội làm việc. Kiến nghị UBND tỉnh đề xuất Chính phủ xem xét điều chỉnh huyện Lương "
            "Sơn lên vùng II để giữ chân người lao động."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Liên đoàn Lao động thành phố Hòa Bình",
        "asker_name": "Lê Quang Huy",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH May mặc Hưng Thịnh Hòa Bình (KCN Bờ trái sông Đà)",
        "field": "Tiền lương – việc làm",
        "text": (
            "Một số doanh nghiệp trả lương cơ bản đúng bằng mức lương tối thiểu vùng, phần còn "
            "lại tách thành nhiều khoản phụ cấp, hỗ trợ để không phải đóng BHXH. Khi lương tối "
            "thiểu vùng được điều chỉnh tăng từ ngày 01/7/2024, đề nghị Sở Lao động - Thương "
            "binh và Xã hội cho biết có kế hoạch kiểm tra việc xây dựng lại thang lương, bảng "
            "lương và đóng BHXH đúng mức lương thực trả không?"
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lương Sơn",
        "asker_name": "Quách Văn Toản",
        "asker_position": "Tổ trưởng sản xuất Công ty TNHH Giày da Tân Phúc, huyện Lương Sơn",
        "field": "Tiền lương – việc làm",
        "text": (
            "Vào mùa cao điểm đơn hàng, một số doanh nghiệp giày da, may mặc trên địa bàn huyện "
            "yêu cầu công nhân tăng ca liên tục, làm cả ngày Chủ nhật, tổng số giờ làm thêm vượt "
            "mức 300 giờ/năm theo quy định; người lao động không dám từ chối vì sợ mất thưởng "
            "chuyên cần. Đề nghị Sở Lao động - Thương binh và Xã hội tăng cường thanh tra, xử lý "
            "vi phạm."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Công đoàn Viên chức tỉnh",
        "asker_name": "Hà Thị Minh Nguyệt",
        "asker_position": "Thanh tra viên, Thanh tra tỉnh",
        "field": "Tiền lương – việc làm",
        "text": (
            "Theo Nghị quyết số 27-NQ/TW về cải cách chính sách tiền lương, phụ cấp thâm niên "
            "nghề có thể bị bãi bỏ đối với một số đối tượng, khiến nhiều công chức, viên chức "
            "đang hưởng phụ cấp thâm niên nghề như thanh tra, nhà giáo băn khoăn. Đề nghị Sở Nội "
            "vụ cho biết khi điều chỉnh lương từ ngày 01/7/2024, các khoản phụ cấp thâm niên "
            "hiện hưởng có được giữ nguyên không và thu nhập có bị giảm so với hiện nay không?"
        ),
        "agency": "Sở Nội vụ",
    },
    {
        "unit": "Công đoàn ngành Giáo dục",
        "asker_name": "Bùi Văn Lực",
        "asker_position": "Giáo viên Trường THPT Sơn Cước, huyện Đà Bắc",
        "field": "Tiền lương – việc làm",
        "text": (
            "Sau khi thực hiện Quyết định số 861/QĐ-TTg, nhiều xã của tỉnh ra khỏi khu vực III, "
            "giáo viên công tác tại đây bị cắt phụ cấp thu hút, phụ cấp công tác lâu năm và giảm "
            "phụ cấp ưu đãi, trong khi điều kiện làm việc vẫn rất khó khăn. Kiến nghị UBND tỉnh "
            "nghiên cứu ban hành chính sách hỗ trợ riêng của tỉnh để giữ chân giáo viên vùng "
            "cao."
        ),
        "agency": "Sở Nội vụ",
    },
    {
        "unit": "Liên đoàn Lao động huyện Mai Châu",
        "asker_name": "Hà Văn Thuận",
        "asker_position": "Công nhân Công ty TNHH May Mai Sơn, huyện Mai Châu",
        "field": "Tiền lương – việc làm",
        "text": (
            "Năm 2023 và đầu năm 2024, nhiều doanh nghiệp may, giày da giảm đơn hàng, cắt giảm "
            "lao động; không ít lao động người Thái, người Mường ở Mai Châu bị mất việc, khó tìm "
            "được việc làm mới gần nhà. Đề nghị Sở Lao động - Thương binh và Xã hội cho biết "
            "chính sách hỗ trợ đào tạo nghề, giới thiệu việc làm và cho vay vốn giải quyết việc "
            "làm đối với lao động bị mất việc."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lạc Sơn",
        "asker_name": "Bùi Thị Mến",
        "asker_position": "Công nhân Công ty TNHH Chế biến nông sản Mường Vang, huyện Lạc Sơn",
        "field": "Tiền lương – việc làm",
        "text": (
            "Công ty nơi tôi làm việc đã nợ lương người lao động ba tháng, chủ doanh nghiệp "
            "thường xuyên vắng mặt, công đoàn cơ sở nhiều lần đề nghị nhưng chưa được giải "
            "quyết, đời sống công nhân rất khó khăn. Đề nghị Sở Lao động - Thương binh và Xã hội "
            "cho biết trách nhiệm xử lý và biện pháp bảo đảm người lao động được trả đủ tiền "
            "lương bị nợ."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Công đoàn ngành Công Thương",
        "asker_name": "Nguyễn Thị Lan Anh",
        "asker_position": "Chủ tịch CĐCS Công ty CP Gạch Tuynel Hợp Thành",
        "field": "Tiền lương – việc làm",
        "text": (
            "Nhiều cơ sở sản xuất vật liệu xây dựng, chế biến gỗ quy mô nhỏ không ký hợp đồng "
            "lao động bằng văn bản, trả lương khoán theo sản phẩm, không xây dựng thang lương, "
            "bảng lương nên người lao động chịu thiệt thòi khi ốm đau, tai nạn. Đề nghị Hiệp hội "
            "doanh nghiệp tỉnh vận động các hội viên thực hiện đúng pháp luật lao động và tạo "
            "điều kiện thành lập công đoàn cơ sở."
        ),
        "agency": "Hiệp hội doanh nghiệp tỉnh",
    },
    # near-duplicate of #5
    {
        "unit": "Liên đoàn Lao động huyện Đà Bắc",
        "asker_name": "Xa Thị Nhung",
        "asker_position": "Giáo viên Trường Mầm non Hoa Ban, huyện Đà Bắc",
        "field": "Tiền lương – việc làm",
        "text": (
            "Xin hỏi: từ năm 2021, xã nơi tôi công tác ra khỏi vùng đặc biệt khó khăn nên giáo "
            "viên không còn được hưởng phụ cấp thu hút, phụ cấp ưu đãi cũng giảm, thu nhập mỗi "
            "tháng giảm vài triệu đồng, trong khi đường sá đến các điểm trường lẻ vẫn xa xôi, "
            "cách trở. Tỉnh có giải pháp gì hỗ trợ giáo viên đang công tác ở những xã này không?"
        ),
        "agency": "Sở Nội vụ",
    },
    {
        "unit": "Công đoàn các Khu công nghiệp tỉnh",
        "asker_name": "Phạm Thị Thanh Loan",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Nhựa Việt Hưng (KCN Bờ trái sông Đà)",
        "field": "BHXH – BHYT",
        "text": (
            "Hiện nay một số doanh nghiệp trong các khu công nghiệp chậm đóng, nợ đóng BHXH kéo "
            "dài nhiều tháng, dù đã trích tiền từ lương của người lao động. Hậu quả là người lao "
            "động nghỉ việc không được chốt sổ BHXH, không làm được thủ tục hưởng trợ cấp thất "
            "nghiệp, chế độ thai sản. Đề nghị BHXH tỉnh cho biết giải pháp xử lý dứt điểm tình "
            "trạng này, bảo vệ quyền lợi người lao động."
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Kim Bôi",
        "asker_name": "Bùi Thị Ngân",
        "asker_position": "Công nhân Công ty TNHH May Kim Phát, huyện Kim Bôi",
        "field": "BHXH – BHYT",
        "text": (
            "Do doanh nghiệp chậm đóng BHYT nên thẻ BHYT của công nhân không được gia hạn, khi "
            "đi khám chữa bệnh người lao động phải tự chi trả toàn bộ chi phí, nhất là lao động "
            "nữ khi sinh con. Đề nghị BHXH tỉnh cho biết quyền lợi BHYT của người lao động trong "
            "trường hợp này được giải quyết như thế nào và trách nhiệm của doanh nghiệp ra sao?"
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Yên Thủy",
        "asker_name": "Quách Thị Hồng Nhung",
        "asker_position": "Công nhân Công ty TNHH Thực phẩm Hồng Lĩnh, huyện Yên Thủy",
        "field": "BHXH – BHYT",
        "text": (
            "Số người lao động nghỉ việc và làm thủ tục hưởng BHXH một lần trên địa bàn tăng "
            "nhiều, phần lớn vì thu nhập thấp, cần tiền trang trải cuộc sống. Đề nghị BHXH tỉnh "
            "cho biết tình hình hưởng BHXH một lần năm 2023 và các tháng đầu năm 2024 trên địa "
            "bàn tỉnh, giải pháp tuyên truyền để người lao động hiểu rõ thiệt thòi khi rút BHXH "
            "một lần."
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Công đoàn ngành Giao thông vận tải - Xây dựng",
        "asker_name": "Lê Văn Nghĩa",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Xây dựng Trường An Hòa Bình",
        "field": "BHXH – BHYT",
        "text": (
            "Tại nhiều công trình xây dựng, giao thông, nhà thầu sử dụng lao động thời vụ, lao "
            "động địa phương nhưng không giao kết hợp đồng, không tham gia BHXH, BHYT, bảo hiểm "
            "tai nạn lao động; khi xảy ra tai nạn, người lao động gần như không được hưởng chế "
            "độ gì. Kiến nghị Sở Lao động - Thương binh và Xã hội tăng cường kiểm tra việc sử "
            "dụng lao động tại các công trình."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    # near-duplicate of #10
    {
        "unit": "Liên đoàn Lao động huyện Lạc Thủy",
        "asker_name": "Đinh Văn Lợi",
        "asker_position": "Công nhân Công ty TNHH Giày da Phú Lạc, huyện Lạc Thủy",
        "field": "BHXH – BHYT",
        "text": (
            "Công ty nơi tôi làm việc trừ tiền BHXH vào lương hằng tháng nhưng nợ đóng cho cơ "
            "quan BHXH hơn một năm nay. Nhiều công nhân nghỉ việc không chốt được sổ, chị em "
            "sinh con không được hưởng chế độ thai sản. Xin hỏi BHXH tỉnh đã xử lý các doanh "
            "nghiệp trốn đóng, chậm đóng BHXH như thế nào, có chuyển hồ sơ sang cơ quan công an "
            "điều tra không?"
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Tân Lạc",
        "asker_name": "Bùi Thị Xuân",
        "asker_position": "Công nhân Công ty TNHH May Phong Lan, huyện Tân Lạc",
        "field": "BHXH – BHYT",
        "text": (
            "Đề nghị BHXH tỉnh hướng dẫn để công nhân được đăng ký, thay đổi nơi khám chữa bệnh "
            "ban đầu tại trạm y tế xã, Trung tâm Y tế huyện gần nơi ở, thay vì doanh nghiệp đăng "
            "ký tập trung tại thành phố Hòa Bình như hiện nay, đi lại rất xa."
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Công đoàn ngành Y tế",
        "asker_name": "Trần Thị Phương Thảo",
        "asker_position": "Kế toán Trung tâm Y tế huyện Kim Bôi",
        "field": "BHXH – BHYT",
        "text": (
            "Việc thanh toán, quyết toán chi phí khám chữa bệnh BHYT giữa cơ quan BHXH và các cơ "
            "sở y tế còn chậm, nhiều khoản chi bị từ chối thanh toán, xuất toán, dẫn tới đơn vị "
            "thiếu kinh phí, chậm chi trả tiền lương, phụ cấp, thu nhập tăng thêm cho viên chức "
            "y tế. Đề nghị BHXH tỉnh cho biết nguyên nhân và giải pháp tháo gỡ."
        ),
        "agency": "Bảo hiểm xã hội tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Cao Phong",
        "asker_name": "Trương Văn Hải",
        "asker_position": "Nguyên công nhân Công ty TNHH Chế biến thực phẩm Bình An, huyện Cao Phong",
        "field": "BHXH – BHYT",
        "text": (
            "Đề nghị Sở Lao động - Thương binh và Xã hội xem xét cho người hưởng trợ cấp thất "
            "nghiệp được thông báo tìm kiếm việc làm hằng tháng qua hình thức trực tuyến, vì "
            "nhiều người ở xa Trung tâm Dịch vụ việc làm, đi lại tốn kém, mất ngày công."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lương Sơn",
        "asker_name": "Nguyễn Thị Thu Trang",
        "asker_position": "Công nhân Công ty TNHH Đồ gỗ Lâm Phát, huyện Lương Sơn",
        "field": "Nhà ở xã hội",
        "text": (
            "Hiện nay phần lớn công nhân làm việc tại các khu công nghiệp, doanh nghiệp trên địa "
            "bàn huyện Lương Sơn phải thuê phòng trọ chật chội, thiếu an toàn, chi phí cao. Đề "
            "nghị Sở Xây dựng cho biết kế hoạch đầu tư xây dựng nhà ở xã hội cho công nhân tại "
            "huyện Lương Sơn, thời gian dự kiến hoàn thành và điều kiện để công nhân được thuê, "
            "mua."
        ),
        "agency": "Sở Xây dựng",
    },
    {
        "unit": "Liên đoàn Lao động thành phố Hòa Bình",
        "asker_name": "Vũ Thị Kim Oanh",
        "asker_position": "Công nhân Công ty TNHH Bao bì Sông Đà Xanh (KCN Bờ trái sông Đà)",
        "field": "Nhà ở xã hội",
        "text": (
            "Đề nghị Ban Quản lý các khu công nghiệp tỉnh cho biết quy hoạch các khu công nghiệp "
            "Bờ trái sông Đà, Yên Quang đã bố trí quỹ đất xây dựng nhà ở, nhà lưu trú cho công "
            "nhân chưa? Kiến nghị yêu cầu chủ đầu tư hạ tầng khu công nghiệp sớm đầu tư các công "
            "trình nhà ở, dịch vụ, tiện ích phục vụ người lao động."
        ),
        "agency": "Ban Quản lý các khu công nghiệp tỉnh",
    },
    {
        "unit": "Công đoàn Viên chức tỉnh",
        "asker_name": "Đinh Thị Thanh Mai",
        "asker_position": "Viên chức Trung tâm Xúc tiến đầu tư tỉnh",
        "field": "Nhà ở xã hội",
        "text": (
            "Nhiều cán bộ, viên chức trẻ có thu nhập thấp, chưa có nhà ở, mong muốn được mua nhà "
            "ở xã hội và vay vốn ưu đãi theo gói tín dụng 120.000 tỷ đồng. Đề nghị Sở Xây dựng "
            "cho biết trên địa bàn tỉnh hiện có dự án nhà ở xã hội nào đủ điều kiện bán, cách "
            "xác nhận đối tượng, điều kiện thu nhập và thủ tục đăng ký mua."
        ),
        "agency": "Sở Xây dựng",
    },
    # near-duplicate of #18
    {
        "unit": "Công đoàn các Khu công nghiệp tỉnh",
        "asker_name": "Hoàng Minh Tuấn",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Cơ khí Minh Đạt (KCN Lương Sơn)",
        "field": "Nhà ở xã hội",
        "text": (
            "Xin hỏi đến nay tỉnh đã có dự án nhà ở xã hội nào dành cho công nhân các khu công "
            "nghiệp chưa? Đa số công nhân KCN Lương Sơn đang ở trọ, thu nhập không đủ để mua nhà "
            "thương mại. Đề nghị Sở Xây dựng cho biết lộ trình triển khai và thủ tục, điều kiện "
            "để công nhân được mua hoặc thuê mua nhà ở xã hội."
        ),
        "agency": "Sở Xây dựng",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lương Sơn",
        "asker_name": "Quách Thị Thu Phương",
        "asker_position": "Giáo viên Trường Mầm non Họa Mi, huyện Lương Sơn",
        "field": "Giáo dục – trường học cho con CNLĐ",
        "text": (
            "Số con công nhân tại huyện Lương Sơn tăng nhanh nhưng các trường mầm non công lập "
            "gần khu công nghiệp thường xuyên quá tải; nhiều cháu không có nơi thường trú tại "
            "địa phương nên khó được nhận vào trường, phải gửi nhóm trẻ tự phát, không bảo đảm "
            "an toàn. Đề nghị Sở Giáo dục và Đào tạo cho biết kế hoạch mở rộng trường, lớp mầm "
            "non cho con công nhân."
        ),
        "agency": "Sở Giáo dục và Đào tạo",
    },
    {
        "unit": "Công đoàn các Khu công nghiệp tỉnh",
        "asker_name": "Lê Thị Hồng",
        "asker_position": "Công nhân Công ty TNHH May Tiến Đạt (KCN Lương Sơn)",
        "field": "Giáo dục – trường học cho con CNLĐ",
        "text": (
            "Theo Nghị định số 105/2020/NĐ-CP, trẻ em là con công nhân làm việc tại khu công "
            "nghiệp, đang học ở cơ sở giáo dục mầm non dân lập, tư thục được hỗ trợ tối thiểu "
            "160.000 đồng/trẻ/tháng. Tuy nhiên nhiều công nhân chưa được nhận hoặc nhận rất "
            "chậm. Đề nghị Sở Tài chính cho biết việc bố trí kinh phí và thời gian chi trả khoản "
            "hỗ trợ này."
        ),
        "agency": "Sở Tài chính",
    },
    {
        "unit": "Công đoàn ngành Giáo dục",
        "asker_name": "Bùi Thị Tuyết",
        "asker_position": "Chủ tịch CĐCS Trường THPT Bình Minh, huyện Kim Bôi",
        "field": "Giáo dục – trường học cho con CNLĐ",
        "text": (
            "Ngành giáo dục của tỉnh đang thiếu giáo viên, nhất là giáo viên Tin học, Ngoại ngữ, "
            "Nghệ thuật theo Chương trình giáo dục phổ thông 2018; nhiều trường phải ký hợp đồng "
            "giáo viên theo Nghị định số 111/2022/NĐ-CP, thu nhập thấp, không ổn định, giáo viên "
            "hợp đồng chưa yên tâm gắn bó. Đề nghị Sở Nội vụ cho biết kế hoạch giao bổ sung biên "
            "chế và tổ chức tuyển dụng giáo viên trong năm học 2024 - 2025."
        ),
        "agency": "Sở Nội vụ",
    },
    {
        "unit": "Liên đoàn Lao động huyện Yên Thủy",
        "asker_name": "Nguyễn Thị Hải Yến",
        "asker_position": "Công nhân Công ty TNHH May An Khang, huyện Yên Thủy",
        "field": "Giáo dục – trường học cho con CNLĐ",
        "text": (
            "Công nhân làm việc theo ca, thường tan ca sau 17 giờ 30 hoặc tăng ca đến tối, trong "
            "khi các trường mầm non trả trẻ lúc 16 giờ 30, cha mẹ phải thuê người đón con. Kiến "
            "nghị Sở Giáo dục và Đào tạo hướng dẫn các trường mầm non gần doanh nghiệp tổ chức "
            "trông trẻ ngoài giờ, nhận trẻ từ 6 tháng tuổi với mức thu phù hợp với thu nhập của "
            "công nhân."
        ),
        "agency": "Sở Giáo dục và Đào tạo",
    },
    {
        "unit": "Liên đoàn Lao động huyện Kim Bôi",
        "asker_name": "Bùi Thị Hương Giang",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Chế biến gỗ Hợp Phát, huyện Kim Bôi",
        "field": "Y tế – khám sức khỏe",
        "text": (
            "Nhiều doanh nghiệp tổ chức khám sức khỏe định kỳ cho người lao động còn mang tính "
            "hình thức, chỉ đo huyết áp, chụp X-quang; lao động nữ chưa được khám chuyên khoa "
            "phụ sản theo quy định của Luật An toàn, vệ sinh lao động. Đề nghị Sở Y tế tăng "
            "cường kiểm tra chất lượng khám sức khỏe của các cơ sở y tế ký hợp đồng khám cho "
            "doanh nghiệp."
        ),
        "agency": "Sở Y tế",
    },
    {
        "unit": "Công đoàn ngành Y tế",
        "asker_name": "Hà Thị Diệu Linh",
        "asker_position": "Bác sĩ Trung tâm Y tế huyện Đà Bắc",
        "field": "Y tế – khám sức khỏe",
        "text": (
            "Nghị định số 05/2023/NĐ-CP đã nâng mức phụ cấp ưu đãi nghề cho một số đối tượng làm "
            "việc tại y tế dự phòng và y tế cơ sở, nhưng việc xác định đối tượng tại các trung "
            "tâm y tế huyện còn vướng mắc, nhiều viên chức chưa được hưởng. Đề nghị Sở Y tế cho "
            "biết tiến độ chi trả và chính sách thu hút bác sĩ về công tác tại vùng khó khăn."
        ),
        "agency": "Sở Y tế",
    },
    {
        "unit": "Công đoàn ngành Nông nghiệp và Phát triển nông thôn",
        "asker_name": "Đinh Văn Hào",
        "asker_position": "Công nhân Công ty CP Chè Đồi Hoa, huyện Tân Lạc",
        "field": "Y tế – khám sức khỏe",
        "text": (
            "Công nhân các nông trường chè, cam, mía thường xuyên phun thuốc bảo vệ thực vật, "
            "tiếp xúc hóa chất nhưng chưa được khám phát hiện bệnh nghề nghiệp, nhiều người có "
            "biểu hiện khó thở, dị ứng da. Đề nghị Sở Y tế hướng dẫn các doanh nghiệp nông "
            "nghiệp tổ chức khám bệnh nghề nghiệp và cho biết các cơ sở đủ điều kiện khám bệnh "
            "nghề nghiệp trên địa bàn tỉnh."
        ),
        "agency": "Sở Y tế",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lạc Sơn",
        "asker_name": "Bùi Văn Thắng",
        "asker_position": "Công nhân Công ty TNHH May Vân Sơn, huyện Lạc Sơn",
        "field": "Y tế – khám sức khỏe",
        "text": (
            "Xin hỏi vì sao trạm y tế xã và Trung tâm Y tế huyện thường xuyên thiếu thuốc trong "
            "danh mục BHYT, người lao động phải tự mua thuốc bên ngoài? Đề nghị Sở Y tế có giải "
            "pháp bảo đảm đủ thuốc cho người có thẻ BHYT."
        ),
        "agency": "Sở Y tế",
    },
    {
        "unit": "Công đoàn ngành Giao thông vận tải - Xây dựng",
        "asker_name": "Phạm Văn Tiến",
        "asker_position": "Đội trưởng thi công Công ty CP Xây dựng giao thông Hòa Phú",
        "field": "An toàn, vệ sinh lao động",
        "text": (
            "Thời gian qua, trên địa bàn tỉnh vẫn xảy ra tai nạn lao động nghiêm trọng tại các "
            "công trình xây dựng, chủ yếu do ngã từ trên cao, điện giật; nhiều lao động thời vụ "
            "chưa được huấn luyện an toàn, vệ sinh lao động, không được cấp phương tiện bảo vệ "
            "cá nhân. Đề nghị Sở Lao động - Thương binh và Xã hội cho biết giải pháp kiểm tra, "
            "xử lý nhà thầu vi phạm."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Công đoàn ngành Công Thương",
        "asker_name": "Trần Thị Ngọc Ánh",
        "asker_position": "Cán bộ an toàn Công ty CP Khai thác đá Thành Nam",
        "field": "An toàn, vệ sinh lao động",
        "text": (
            "Huyện Lương Sơn và Kim Bôi có nhiều mỏ đá, cơ sở nghiền sàng đá, sản xuất vật liệu "
            "xây dựng; người lao động làm việc trong môi trường nhiều bụi, tiếng ồn lớn, nguy cơ "
            "mắc bệnh bụi phổi silic cao nhưng nhiều cơ sở không quan trắc môi trường lao động "
            "định kỳ. Đề nghị Sở Lao động - Thương binh và Xã hội tăng cường thanh tra, yêu cầu "
            "doanh nghiệp thực hiện đúng quy định."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Công đoàn các Khu công nghiệp tỉnh",
        "asker_name": "Hà Văn Quyết",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Sơn phủ Kim Long (KCN Lương Sơn)",
        "field": "An toàn, vệ sinh lao động",
        "text": (
            "Một số doanh nghiệp trong khu công nghiệp sử dụng hóa chất, dung môi, máy móc có "
            "yêu cầu nghiêm ngặt về an toàn nhưng chưa bố trí đủ người làm công tác an toàn, vệ "
            "sinh lao động, chưa xây dựng phương án ứng cứu sự cố. Đề nghị Ban Quản lý các khu "
            "công nghiệp tỉnh phối hợp với công đoàn tăng cường kiểm tra, hướng dẫn doanh "
            "nghiệp."
        ),
        "agency": "Ban Quản lý các khu công nghiệp tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lương Sơn",
        "asker_name": "Nguyễn Đình Khoa",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Vật liệu mới Thịnh An, huyện Lương Sơn",
        "field": "Thiết chế công đoàn – văn hóa",
        "text": (
            "Tổng Liên đoàn Lao động Việt Nam có chủ trương đầu tư thiết chế công đoàn gồm nhà "
            "ở, nhà trẻ, nhà văn hóa, siêu thị cho công nhân tại các khu công nghiệp nếu địa "
            "phương bố trí được quỹ đất. Kiến nghị UBND tỉnh chỉ đạo Sở Tài nguyên và Môi trường "
            "sớm bố trí quỹ đất sạch gần KCN Lương Sơn để xây dựng thiết chế công đoàn."
        ),
        "agency": "Sở Tài nguyên và Môi trường",
    },
    {
        "unit": "Liên đoàn Lao động huyện Mai Châu",
        "asker_name": "Vì Thị Thanh Huyền",
        "asker_position": "Nhân viên Công ty TNHH Du lịch sinh thái Hoa Ban, huyện Mai Châu",
        "field": "Thiết chế công đoàn – văn hóa",
        "text": (
            "Người lao động trong các doanh nghiệp du lịch, dịch vụ tại Mai Châu phần lớn là "
            "đồng bào Thái, Mường, đời sống văn hóa tinh thần còn hạn chế, thiếu nhà văn hóa, "
            "sân thể thao. Đề nghị Sở Văn hoá, Thể thao và Du lịch hỗ trợ đào tạo kỹ năng làm du "
            "lịch cộng đồng, tổ chức các hoạt động văn hóa, văn nghệ gắn với giữ gìn bản sắc dân "
            "tộc."
        ),
        "agency": "Sở Văn hoá, Thể thao và Du lịch",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lạc Thủy",
        "asker_name": "Trần Thị Thu Hiền",
        "asker_position": "Công nhân Công ty TNHH Dệt may Thanh Tùng, huyện Lạc Thủy",
        "field": "Thiết chế công đoàn – văn hóa",
        "text": (
            "Đời sống tinh thần của công nhân còn nghèo nàn, sau giờ làm việc chủ yếu ở phòng "
            "trọ, ít có điều kiện tham gia các hoạt động văn hóa, thể thao. Đề nghị Sở Văn hoá, "
            "Thể thao và Du lịch phối hợp với Liên đoàn Lao động tỉnh tổ chức chiếu phim lưu "
            "động, biểu diễn nghệ thuật, giải thể thao tại các khu nhà trọ, cụm công nghiệp trên "
            "địa bàn huyện Lạc Thủy."
        ),
        "agency": "Sở Văn hoá, Thể thao và Du lịch",
    },
    {
        "unit": "Liên đoàn Lao động huyện Lạc Sơn",
        "asker_name": "Bùi Văn Hiếu",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Nông lâm sản Thượng Cốc Xanh, huyện Lạc Sơn",
        "field": "Chính sách cán bộ công đoàn",
        "text": (
            "Cán bộ công đoàn cơ sở ở doanh nghiệp đều kiêm nhiệm, hưởng lương của người sử dụng "
            "lao động nên khi đứng ra đại diện, bảo vệ quyền lợi người lao động thường bị gây "
            "khó khăn, điều chuyển công việc, thậm chí không được ký tiếp hợp đồng. Kiến nghị Sở "
            "Lao động - Thương binh và Xã hội có biện pháp xử lý nghiêm doanh nghiệp vi phạm, "
            "bảo vệ cán bộ công đoàn."
        ),
        "agency": "Sở Lao động - Thương binh và Xã hội",
    },
    {
        "unit": "Công đoàn ngành Nông nghiệp và Phát triển nông thôn",
        "asker_name": "Đinh Thị Lý",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Giống cây trồng Hòa An",
        "field": "Chính sách cán bộ công đoàn",
        "text": (
            "Chủ tịch công đoàn cơ sở hiện nay đều kiêm nhiệm, khối lượng công việc ngày càng "
            "nhiều nhưng phụ cấp cán bộ công đoàn còn thấp, chưa tương xứng với trách nhiệm. Đề "
            "nghị Liên đoàn Lao động tỉnh cho biết có kiến nghị Tổng Liên đoàn nâng mức phụ cấp "
            "cho cán bộ công đoàn không chuyên trách không, đồng thời tăng tỷ lệ kinh phí để lại "
            "cho công đoàn cơ sở."
        ),
        "agency": "Liên đoàn Lao động tỉnh",
    },
    {
        "unit": "Liên đoàn Lao động huyện Yên Thủy",
        "asker_name": "Quách Công Minh",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Chế biến lâm sản Lạc Long, huyện Yên Thủy",
        "field": "Chính sách cán bộ công đoàn",
        "text": (
            "Cán bộ công đoàn cơ sở kiêm nhiệm tại doanh nghiệp ngoài nhà nước và công nhân trực "
            "tiếp sản xuất rất ít được xét tặng Bằng khen của Chủ tịch UBND tỉnh, chủ yếu dành "
            "cho cán bộ lãnh đạo, quản lý. Kiến nghị UBND tỉnh chỉ đạo Sở Nội vụ quan tâm tăng "
            "tỷ lệ khen thưởng đối với cán bộ công đoàn cơ sở và người lao động trực tiếp."
        ),
        "agency": "Sở Nội vụ",
    },
    {
        "unit": "Liên đoàn Lao động huyện Cao Phong",
        "asker_name": "Bùi Văn Tuân",
        "asker_position": "Chủ tịch CĐCS Công ty TNHH Nông sản Cam Xanh, huyện Cao Phong",
        "field": "Khác",
        "text": (
            "Một số doanh nghiệp nợ đóng BHXH, kinh phí công đoàn kéo dài nhưng vẫn được xem xét "
            "chấp thuận chủ trương đầu tư dự án mới, hưởng ưu đãi đầu tư, thậm chí được biểu "
            "dương là doanh nghiệp tiêu biểu. Kiến nghị Sở Kế hoạch và Đầu tư xem xét việc chấp "
            "hành nghĩa vụ đối với người lao động là một tiêu chí khi thẩm định, đánh giá doanh "
            "nghiệp."
        ),
        "agency": "Sở Kế hoạch và Đầu tư",
    },
    {
        "unit": "Liên đoàn Lao động huyện Tân Lạc",
        "asker_name": "Bùi Văn Đông",
        "asker_position": "Công nhân Công ty TNHH Điện tử Quang Minh (KCN Lương Sơn), thường trú tại huyện Tân Lạc",
        "field": "Khác",
        "text": (
            "Nhiều lao động ở các huyện Tân Lạc, Lạc Sơn, Kim Bôi đi làm tại các khu công nghiệp "
            "ở Lương Sơn, thành phố Hòa Bình phải đi xe máy hàng chục ki-lô-mét mỗi ngày, nguy "
            "cơ tai nạn giao thông cao, nhất là sau ca đêm. Đề nghị Hiệp hội doanh nghiệp tỉnh "
            "vận động các doanh nghiệp bố trí xe đưa đón công nhân, phối hợp mở tuyến xe buýt "
            "phục vụ công nhân."
        ),
        "agency": "Hiệp hội doanh nghiệp tỉnh",
    },
]
