"""The demo data set: the tree of 2024, the reorganisation of 1 July 2025, and the KL 21 documents.

Drawn from the five seed texts (shared/seeds). What the seeds and public record give is used as
is: the units they name (Tỉnh ủy Bình Thuận, Thành ủy Phan Thiết, Huyện ủy Tuy Phong, Đảng bộ
Công an tỉnh, Sở Tài nguyên và Môi trường, Ban cán sự đảng UBND tỉnh, Huyện ủy Đầm Hà …), the
documents they cite with their dates, and the real province mergers of 1/7/2025. Everything
below province level (communes, their 2025 groupings, grassroots organisations, cells) and the
numbers of local plans are synthetic but plausible: each such item carries a `note`.
"""

import datetime

D = datetime.date

# When this demo's records begin. Not a founding date: the centre's is 3/2/1930, the provinces'
# vary (Đắk Nông 2004 …); the demo only needs every unit to exist before its first document.
RECORDS_SINCE = D(2015, 1, 1)
CENTRE_SINCE = D(1930, 2, 3)
CENTRAL_REFORM = D(2025, 2, 1)  # central bodies merged and party organisations regrouped
PROPAGANDA_MERGE = D(2025, 3, 1)  # provincial propaganda + mass mobilisation commissions merged
REFORM = D(2025, 7, 1)  # district level abolished, 63 provinces became 34

# What the merges of communes say (the groupings themselves are synthetic: see DISTRICTS).
COMMUNE_MERGE_NOTE = "Sắp xếp đơn vị hành chính cấp xã, không tổ chức cấp huyện từ 01/07/2025."

CENTRE = {"code": "TW", "name": "Ban Chấp hành Trung ương Đảng", "short_name": "Trung ương"}

# (code, name, short_name, kind, since)
CENTRAL_BODIES = [
    ("VPTW", "Văn phòng Trung ương Đảng", "VPTW", "office", CENTRE_SINCE),
    ("BTCTW", "Ban Tổ chức Trung ương", "BTCTW", "org_commission", CENTRE_SINCE),
    ("UBKTTW", "Ủy ban Kiểm tra Trung ương", "UBKTTW", "inspection_commission", CENTRE_SINCE),
    ("BTGTW", "Ban Tuyên giáo Trung ương", "BTGTW", "propaganda_commission", CENTRE_SINCE),
    ("BDVTW", "Ban Dân vận Trung ương", "BDVTW", "support_other", CENTRE_SINCE),
    ("BNCTW", "Ban Nội chính Trung ương", "BNCTW", "support_other", RECORDS_SINCE),
    ("QUTW", "Đảng bộ Quân đội", "Quân ủy Trung ương", "central_org", RECORDS_SINCE),
    (
        "DUCATW",
        "Đảng bộ Công an Trung ương",
        "Đảng ủy Công an Trung ương",
        "central_org",
        RECORDS_SINCE,
    ),
    ("DUKCQTW", "Đảng bộ Khối các cơ quan Trung ương", "ĐUK CQTW", "central_org", RECORDS_SINCE),
    ("DUKDNTW", "Đảng bộ Khối Doanh nghiệp Trung ương", "ĐUK DNTW", "central_org", RECORDS_SINCE),
    ("BCSD-BNV", "Ban cán sự đảng Bộ Nội vụ", "BCSĐ Bộ Nội vụ", "delegation", RECORDS_SINCE),
]

# Grassroots organisations of the Khối các cơ quan Trung ương, and where each went in 2025.
KHOI_CHILDREN = [
    ("DUKCQTW.BNV", "Đảng bộ Bộ Nội vụ", "DUCP"),
    ("DUKCQTW.VPQH", "Đảng bộ Văn phòng Quốc hội", "DUQH"),
    ("DUKCQTW.BTCTW", "Đảng bộ cơ quan Ban Tổ chức Trung ương", "DUCQDTW"),
]

# 1/2/2025: the Khối was split into the four new party organisations directly under the centre.
KHOI_SUCCESSORS = [
    ("DUCQDTW", "Đảng bộ các cơ quan Đảng Trung ương", "ĐU các cơ quan Đảng TW"),
    ("DUCP", "Đảng bộ Chính phủ", "Đảng ủy Chính phủ"),
    ("DUQH", "Đảng bộ Quốc hội", "Đảng ủy Quốc hội"),
    ("DUMTTW", "Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương", "ĐU MTTQ, đoàn thể TW"),
]

# (code, committee name, place name, merges into on 1/7/2025 or None, detailed)
# The merges are the real ones of 1/7/2025 for these provinces; the other partner provinces of
# each merge (Bình Phước, Bà Rịa - Vũng Tàu, Hòa Bình, Trà Vinh …) are left out of the demo.
PROVINCES = [
    ("HNI", "Thành ủy Hà Nội", "Hà Nội", None, False),
    ("QNI", "Tỉnh ủy Quảng Ninh", "Quảng Ninh", None, True),
    ("BGG", "Tỉnh ủy Bắc Giang", "Bắc Giang", "BNH", False),
    ("BNH", "Tỉnh ủy Bắc Ninh", "Bắc Ninh", None, False),
    ("VPC", "Tỉnh ủy Vĩnh Phúc", "Vĩnh Phúc", "PTO", False),
    ("PTO", "Tỉnh ủy Phú Thọ", "Phú Thọ", None, False),
    ("SLA", "Tỉnh ủy Sơn La", "Sơn La", None, False),
    ("DNG", "Thành ủy Đà Nẵng", "Đà Nẵng", None, False),
    ("QNM", "Tỉnh ủy Quảng Nam", "Quảng Nam", "DNG", False),
    ("BDH", "Tỉnh ủy Bình Định", "Bình Định", "GLA", False),
    ("GLA", "Tỉnh ủy Gia Lai", "Gia Lai", None, False),
    ("LDG", "Tỉnh ủy Lâm Đồng", "Lâm Đồng", None, True),
    ("DNO", "Tỉnh ủy Đắk Nông", "Đắk Nông", "LDG", True),
    ("BTH", "Tỉnh ủy Bình Thuận", "Bình Thuận", "LDG", True),
    ("BDG", "Tỉnh ủy Bình Dương", "Bình Dương", "HCM", False),
    ("HCM", "Thành ủy Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", None, False),
    ("DNI", "Tỉnh ủy Đồng Nai", "Đồng Nai", None, False),
    ("TNI", "Tỉnh ủy Tây Ninh", "Tây Ninh", None, True),
    ("LAN", "Tỉnh ủy Long An", "Long An", "TNI", True),
    ("BTR", "Tỉnh ủy Bến Tre", "Bến Tre", "VLG", False),
    ("VLG", "Tỉnh ủy Vĩnh Long", "Vĩnh Long", None, False),
]

# Every province's committee has these support bodies; `{c}` is the committee word (Tỉnh ủy,
# Thành ủy), `{p}` the place. The propaganda commission took on mass mobilisation in 2025.
PROVINCE_SUPPORT = [
    ("VP", "office", "Văn phòng {c} {p}"),
    ("BTC", "org_commission", "Ban Tổ chức {c} {p}"),
    ("UBKT", "inspection_commission", "Ủy ban Kiểm tra {c} {p}"),
    ("BTG", "propaganda_commission", "Ban Tuyên giáo {c} {p}"),
]
PROPAGANDA_NEW_NAME = "Ban Tuyên giáo và Dân vận {c} {p}"

# Grassroots organisations directly under every province, with their cells (role key, name, cells).
PROVINCE_GRASSROOTS = [
    (
        "CA",
        "Đảng bộ Công an tỉnh {p}",
        [
            "Chi bộ Phòng Tham mưu",
            "Chi bộ Phòng An ninh chính trị nội bộ",
            "Chi bộ Phòng Cảnh sát giao thông",
        ],
    ),
]

# Extra units the seeds name (000: the organisations inspected by Đoàn kiểm tra số 1355).
PROVINCE_EXTRAS = {
    "BTH": [
        (
            "STNMT",
            "grassroots",
            "Đảng bộ Sở Tài nguyên và Môi trường tỉnh Bình Thuận",
            ["Chi bộ Văn phòng Sở", "Chi bộ Chi cục Biển và Hải đảo"],
        ),
        ("BCSD-UBND", "delegation", "Ban cán sự đảng Ủy ban nhân dân tỉnh Bình Thuận", []),
    ],
    # 003: 68/NQ-HĐND is a State document; see loader._HDND_NOTE for why the HĐND is a unit.
    "QNI": [
        ("HDND", "support_other", "Hội đồng nhân dân tỉnh Quảng Ninh", []),
    ],
}

# District-level units and their communes. Each group is (new commune-level unit of 1/7/2025,
# the old communes that formed it); a group of one old commune is a move, not a merge. The first
# group's new unit takes over the district's work. Names of districts and old communes are real;
# the groupings are synthetic.
DISTRICTS = {
    "BTH": [
        (
            "PT",
            "Thành ủy Phan Thiết",
            [
                (
                    "Phường Phan Thiết",
                    ["Phường Đức Nghĩa", "Phường Lạc Đạo", "Phường Đức Thắng", "Phường Phú Trinh"],
                ),
                ("Phường Phú Thủy", ["Phường Phú Thủy", "Phường Phú Tài", "Phường Xuân An"]),
                ("Phường Mũi Né", ["Phường Mũi Né", "Phường Hàm Tiến", "Xã Thiện Nghiệp"]),
                ("Xã Tiến Thành", ["Xã Tiến Thành", "Xã Tiến Lợi"]),
            ],
        ),
        (
            "TP",
            "Huyện ủy Tuy Phong",
            [
                ("Xã Tuy Phong", ["Xã Phước Thể", "Xã Phong Phú", "Xã Phú Lạc"]),
                ("Xã Liên Hương", ["Thị trấn Liên Hương", "Xã Bình Thạnh"]),
                ("Xã Phan Rí Cửa", ["Thị trấn Phan Rí Cửa", "Xã Chí Công", "Xã Hòa Minh"]),
                ("Xã Vĩnh Hảo", ["Xã Vĩnh Hảo", "Xã Vĩnh Tân"]),
                ("Xã Phan Dũng", ["Xã Phan Dũng"]),
            ],
        ),
        (
            "BB",
            "Huyện ủy Bắc Bình",
            [
                ("Xã Bắc Bình", ["Thị trấn Chợ Lầu", "Xã Phan Rí Thành"]),
                ("Xã Sông Lũy", ["Xã Sông Lũy", "Xã Hải Ninh"]),
            ],
        ),
    ],
    "DNO": [
        (
            "GN",
            "Thành ủy Gia Nghĩa",
            [
                ("Phường Bắc Gia Nghĩa", ["Phường Nghĩa Đức", "Phường Nghĩa Thành"]),
                ("Phường Nam Gia Nghĩa", ["Phường Nghĩa Tân", "Xã Đắk Nia"]),
            ],
        ),
        (
            "DM",
            "Huyện ủy Đắk Mil",
            [
                ("Xã Đắk Mil", ["Thị trấn Đắk Mil", "Xã Đắk Lao"]),
                ("Xã Thuận An", ["Xã Thuận An", "Xã Đức Mạnh"]),
            ],
        ),
    ],
    "LDG": [
        (
            "DL",
            "Thành ủy Đà Lạt",
            [
                ("Phường Xuân Hương - Đà Lạt", ["Phường 1", "Phường 2", "Phường 3"]),
                ("Phường Cam Ly - Đà Lạt", ["Phường 4", "Phường 5"]),
                ("Phường Lâm Viên - Đà Lạt", ["Phường 8", "Phường 9"]),
            ],
        ),
        (
            "DT",
            "Huyện ủy Đức Trọng",
            [
                ("Xã Đức Trọng", ["Thị trấn Liên Nghĩa", "Xã Hiệp An"]),
                ("Xã Hiệp Thạnh", ["Xã Hiệp Thạnh", "Xã Ninh Gia"]),
            ],
        ),
    ],
    "LAN": [
        (
            "TA",
            "Thành ủy Tân An",
            [
                ("Phường Long An", ["Phường 1", "Phường 3"]),
                ("Phường Tân An", ["Phường 4", "Phường 5", "Xã Hướng Thọ Phú"]),
            ],
        ),
        (
            "BL",
            "Huyện ủy Bến Lức",
            [
                ("Xã Bến Lức", ["Thị trấn Bến Lức", "Xã Thạnh Đức"]),
                ("Xã Lương Hòa", ["Xã Lương Hòa", "Xã Nhựt Chánh"]),
            ],
        ),
    ],
    "TNI": [
        (
            "TN",
            "Thành ủy Tây Ninh",
            [
                ("Phường Tân Ninh", ["Phường 1", "Phường 2", "Phường 3"]),
                ("Phường Bình Minh", ["Phường Ninh Sơn", "Xã Tân Bình"]),
            ],
        ),
        (
            "HT",
            "Thị ủy Hòa Thành",
            [
                ("Phường Long Hoa", ["Phường Long Hoa", "Phường Hiệp Tân"]),
                ("Phường Thanh Điền", ["Phường Long Thành Bắc", "Xã Trường Hòa"]),
            ],
        ),
    ],
    "QNI": [
        (
            "HL",
            "Thành ủy Hạ Long",
            [
                (
                    "Phường Hồng Gai",
                    ["Phường Bạch Đằng", "Phường Hồng Gai", "Phường Trần Hưng Đạo"],
                ),
                ("Phường Bãi Cháy", ["Phường Bãi Cháy", "Phường Hùng Thắng"]),
            ],
        ),
        (
            "DH",
            "Huyện ủy Đầm Hà",
            [
                ("Xã Đầm Hà", ["Thị trấn Đầm Hà", "Xã Tân Bình", "Xã Đại Bình"]),
                ("Xã Quảng Tân", ["Xã Quảng Tân", "Xã Dực Yên"]),
                ("Xã Quảng An", ["Xã Quảng An", "Xã Quảng Lâm"]),
            ],
        ),
    ],
    "HNI": [
        (
            "GL",
            "Huyện ủy Gia Lâm",
            [("Xã Gia Lâm", ["Thị trấn Trâu Quỳ", "Xã Đa Tốn", "Xã Kiêu Kỵ"])],
        )
    ],
    "BGG": [
        (
            "LN",
            "Huyện ủy Lục Ngạn",
            [("Phường Chũ", ["Thị trấn Chũ", "Xã Hồng Giang", "Xã Trù Hựu"])],
        )
    ],
    "BNH": [
        ("TD", "Huyện ủy Tiên Du", [("Xã Tiên Du", ["Thị trấn Lim", "Xã Nội Duệ", "Xã Liên Bão"])])
    ],
    "VPC": [
        (
            "TDA",
            "Huyện ủy Tam Đảo",
            [("Xã Tam Đảo", ["Thị trấn Hợp Châu", "Xã Hồ Sơn", "Xã Minh Quang"])],
        )
    ],
    "PTO": [
        (
            "LT",
            "Huyện ủy Lâm Thao",
            [("Xã Lâm Thao", ["Thị trấn Lâm Thao", "Xã Xuân Lũng", "Xã Tiên Kiên"])],
        )
    ],
    "SLA": [
        (
            "MC",
            "Huyện ủy Mộc Châu",
            [
                ("Phường Mộc Sơn", ["Thị trấn Nông trường Mộc Châu", "Xã Tân Lập"]),
                ("Xã Chiềng Sơn", ["Xã Chiềng Sơn"]),
            ],
        )
    ],
    "DNG": [
        (
            "HV",
            "Huyện ủy Hòa Vang",
            [
                ("Xã Hòa Vang", ["Xã Hòa Phong", "Xã Hòa Phú"]),
                ("Xã Hòa Tiến", ["Xã Hòa Tiến", "Xã Hòa Châu"]),
            ],
        )
    ],
    "QNM": [
        (
            "DB",
            "Thị ủy Điện Bàn",
            [("Phường Điện Bàn", ["Phường Vĩnh Điện", "Phường Điện An", "Xã Điện Minh"])],
        )
    ],
    "BDH": [
        (
            "TPH",
            "Huyện ủy Tuy Phước",
            [("Xã Tuy Phước", ["Thị trấn Tuy Phước", "Xã Phước Lộc", "Xã Phước Hiệp"])],
        )
    ],
    "GLA": [
        (
            "CP",
            "Huyện ủy Chư Păh",
            [("Xã Chư Păh", ["Thị trấn Phú Hòa", "Xã Nghĩa Hưng", "Xã Hòa Phú"])],
        )
    ],
    "BDG": [
        (
            "TDM",
            "Thành ủy Thủ Dầu Một",
            [
                (
                    "Phường Thủ Dầu Một",
                    ["Phường Phú Cường", "Phường Hiệp Thành", "Phường Chánh Nghĩa"],
                )
            ],
        )
    ],
    "HCM": [
        (
            "TDU",
            "Thành ủy Thủ Đức",
            [
                ("Phường An Khánh", ["Phường Thảo Điền", "Phường An Phú"]),
                ("Phường Bình Trưng", ["Phường Bình Trưng Tây"]),
            ],
        )
    ],
    "DNI": [
        (
            "LTH",
            "Huyện ủy Long Thành",
            [("Xã Long Thành", ["Thị trấn Long Thành", "Xã An Phước", "Xã Long Đức"])],
        )
    ],
    "BTR": [
        (
            "CT",
            "Huyện ủy Châu Thành",
            [("Xã Châu Thành", ["Thị trấn Châu Thành", "Xã Tân Thạch", "Xã An Khánh"])],
        )
    ],
    "VLG": [
        (
            "LH",
            "Huyện ủy Long Hồ",
            [("Xã Long Hồ", ["Thị trấn Long Hồ", "Xã Long Phước", "Xã Phước Hậu"])],
        )
    ],
}

# Villages and neighbourhoods for the synthetic cells (chi bộ thôn, khu phố).
VILLAGES = [
    "Hiệp Đức",
    "Bình Tân",
    "Phú Điền",
    "Lạc Tánh",
    "Thanh Lương",
    "Tân Hòa",
    "Đông Xuân",
    "Hòa Thuận",
    "Tân Lập",
    "Phước Lợi",
    "An Bình",
    "Vĩnh Phúc",
    "Thuận Nghĩa",
    "Long Điền",
]
POLICE_CELLS = ["Chi bộ Cảnh sát khu vực", "Chi bộ Tổng hợp"]

# Documents. `unit` is a unit code (see loader for district/commune codes). `rel` lists
# (kind, target key). Numbers and dates of central documents are from the seeds and public
# record; local plans' numbers and dates are synthetic (note).
TW13, TW12, TW11 = "Khóa XIII", "Khóa XII", "Khóa XI"
LOCAL_TERM = "Nhiệm kỳ 2020-2025"

DOCUMENTS = [
    dict(
        key="qd101",
        symbol="101-QĐ/TW",
        doc_type="quy_dinh",
        unit="TW",
        term=TW11,
        date=D(2012, 6, 7),
        subject="Quy định về trách nhiệm nêu gương của cán bộ, đảng viên, nhất là cán bộ lãnh đạo "
        "chủ chốt các cấp",
        signer_position="Ban Bí thư",
        note="Ngày ban hành theo nguồn công khai, seed 001 không nêu.",
    ),
    dict(
        key="nq04",
        symbol="04-NQ/TW",
        doc_type="nghi_quyet",
        unit="TW",
        term=TW12,
        date=D(2016, 10, 30),
        subject="Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương khóa XII về tăng cường "
        "xây "
        "dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo "
        "đức, lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ",
    ),
    dict(
        key="qd55",
        symbol="55-QĐ/TW",
        doc_type="quy_dinh",
        unit="TW",
        term=TW12,
        date=D(2016, 12, 19),
        subject="Quy định về một số việc cần làm ngay để tăng cường vai trò nêu gương của cán bộ, "
        "đảng viên",
        signer_position="Bộ Chính trị",
        note="Ngày ban hành theo nguồn công khai, seed 001 không nêu.",
        rel=[("based_on", "nq04")],
    ),
    dict(
        key="qd08",
        symbol="08-QĐi/TW",
        doc_type="quy_dinh",
        unit="TW",
        term=TW12,
        date=D(2018, 10, 25),
        subject="Quy định về trách nhiệm nêu gương của cán bộ, đảng viên, trước hết là Ủy viên Bộ "
        "Chính trị, Ủy viên Ban Bí thư, Ủy viên Ban Chấp hành Trung ương",
        note="Ngày ban hành theo nguồn công khai, seed 001 không nêu.",
        rel=[("based_on", "nq04")],
    ),
    dict(
        key="kl14",
        symbol="14-KL/TW",
        doc_type="ket_luan",
        unit="TW",
        term=TW13,
        date=D(2021, 9, 22),
        subject="Kết luận của Bộ Chính trị về chủ trương khuyến khích và bảo vệ cán bộ năng động, "
        "sáng tạo vì lợi ích chung",
        signer_position="Bộ Chính trị",
    ),
    dict(
        key="kl21",
        symbol="21-KL/TW",
        doc_type="ket_luan",
        unit="TW",
        term=TW13,
        date=D(2021, 10, 25),
        subject="Kết luận Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh "
        "xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử "
        "lý nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
        "biểu hiện “tự diễn biến”, “tự chuyển hóa”",
        rel=[("cites", "nq04")],
    ),
    dict(
        key="kh03",
        symbol="03-KH/TW",
        doc_type="ke_hoach",
        unit="TW",
        term=TW13,
        date=D(2021, 12, 1),
        subject="Kế hoạch của Bộ Chính trị thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung "
        "ương Đảng khóa XIII",
        signer_position="Bộ Chính trị",
        rel=[("implements", "kl21")],
    ),
    dict(
        key="kh52",
        symbol="52-KH/BTCTW",
        doc_type="ke_hoach",
        unit="BTCTW",
        term=TW13,
        date=D(2022, 2, 17),
        subject="Kế hoạch của Ban Tổ chức Trung ương triển khai thực hiện Kết luận số 21-KL/TW và "
        "Kế hoạch số 03-KH/TW",
        rel=[("implements", "kh03")],
    ),
    # Quảng Ninh (seed 003)
    dict(
        key="ct18qn",
        symbol="18-CT/TU",
        doc_type="chi_thi",
        unit="QNI",
        term=LOCAL_TERM,
        date=D(2021, 10, 18),
        subject="Chỉ thị của Ban Thường vụ Tỉnh ủy Quảng Ninh",
        note="Trích yếu không có trong seed 003: chỉ biết số, ngày và cơ quan ban hành.",
    ),
    dict(
        key="nq08qn",
        symbol="08-NQ/TU",
        doc_type="nghi_quyet",
        unit="QNI",
        term=LOCAL_TERM,
        date=D(2021, 11, 25),
        subject="Nghị quyết của Ban Chấp hành Đảng bộ tỉnh Quảng Ninh về phương hướng, "
        "nhiệm vụ năm 2022",
        note="Seed 003 in nhầm 08-NQ/TW; đúng là 08-NQ/TU (Ban Chấp hành Đảng bộ tỉnh).",
    ),
    dict(
        key="nq68qn",
        symbol="68/NQ-HĐND",
        doc_type="nghi_quyet",
        unit="QNI.HDND",
        term="Khóa XIV",
        date=D(2021, 12, 9),
        subject="Nghị quyết của Hội đồng nhân dân tỉnh Quảng Ninh",
        note="Trích yếu và khóa HĐND không có trong seed 003 "
        "(khóa XIV là suy đoán: nhiệm kỳ 2021-2026).",
        rel=[("cites", "nq08qn")],
    ),
    dict(
        key="ctr21qn",
        symbol="12-CTr/TU",
        doc_type="chuong_trinh_hanh_dong",
        unit="QNI",
        term=LOCAL_TERM,
        date=D(2021, 12, 28),
        subject="Chương trình hành động của Tỉnh ủy Quảng Ninh thực hiện Kết luận số 21-KL/TW "
        "về đẩy "
        "mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
        note="Số và ngày mô phỏng: seed 003 chỉ nói có Chương trình hành động của Tỉnh ủy.",
        rel=[("implements", "kh03"), ("based_on", "kl21")],
    ),
    dict(
        key="ctr14qn",
        symbol="13-CTr/TU",
        doc_type="chuong_trinh",
        unit="QNI",
        term=LOCAL_TERM,
        date=D(2021, 12, 28),
        subject="Chương trình của Ban Chấp hành Đảng bộ tỉnh thực hiện Kết luận số 14-KL/TW về chủ "
        "trương khuyến khích và bảo vệ cán bộ năng động, sáng tạo vì lợi ích chung",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kl14")],
    ),
    dict(
        key="khdh",
        symbol="41-KH/HU",
        doc_type="ke_hoach",
        unit="QNI.DH",
        term=LOCAL_TERM,
        date=D(2022, 1, 20),
        subject="Kế hoạch của Huyện ủy Đầm Hà thực hiện Chương trình hành động của Tỉnh ủy về Kết "
        "luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "ctr21qn")],
    ),
    dict(
        key="khdh1",
        symbol="05-KH/ĐU",
        doc_type="ke_hoach",
        unit="QNI.DH.THI-TRAN-DAM-HA",
        term=LOCAL_TERM,
        date=D(2022, 2, 10),
        subject="Kế hoạch của Đảng ủy thị trấn Đầm Hà thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khdh")],
    ),
    dict(
        key="khdh2",
        symbol="04-KH/ĐU",
        doc_type="ke_hoach",
        unit="QNI.DH.XA-QUANG-TAN",
        term=LOCAL_TERM,
        date=D(2022, 2, 14),
        subject="Kế hoạch của Đảng ủy xã Quảng Tân thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khdh")],
    ),
    # Bình Thuận (seed 000)
    dict(
        key="khbt",
        symbol="45-KH/TU",
        doc_type="ke_hoach",
        unit="BTH",
        term=LOCAL_TERM,
        date=D(2021, 12, 24),
        subject="Kế hoạch của Tỉnh ủy Bình Thuận thực hiện Kết luận số 21-KL/TW và Kế hoạch số "
        "03-KH/TW của Bộ Chính trị",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03"), ("based_on", "kl21")],
    ),
    dict(
        key="khpt",
        symbol="118-KH/TU",
        doc_type="ke_hoach",
        unit="BTH.PT",
        term=LOCAL_TERM,
        date=D(2022, 1, 12),
        subject="Kế hoạch của Thành ủy Phan Thiết thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khbt")],
    ),
    dict(
        key="khtp",
        symbol="76-KH/HU",
        doc_type="ke_hoach",
        unit="BTH.TP",
        term=LOCAL_TERM,
        date=D(2022, 1, 14),
        subject="Kế hoạch của Huyện ủy Tuy Phong thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khbt")],
    ),
    dict(
        key="khca",
        symbol="32-KH/ĐU",
        doc_type="ke_hoach",
        unit="BTH.CA",
        term=LOCAL_TERM,
        date=D(2022, 1, 18),
        subject="Kế hoạch của Đảng ủy Công an tỉnh Bình Thuận thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khbt")],
    ),
    dict(
        key="khpte",
        symbol="09-KH/ĐU",
        doc_type="ke_hoach",
        unit="BTH.TP.XA-PHUOC-THE",
        term=LOCAL_TERM,
        date=D(2022, 2, 8),
        subject="Kế hoạch của Đảng ủy xã Phước Thể thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khtp")],
    ),
    dict(
        key="khlh",
        symbol="11-KH/ĐU",
        doc_type="ke_hoach",
        unit="BTH.TP.THI-TRAN-LIEN-HUONG",
        term=LOCAL_TERM,
        date=D(2022, 2, 9),
        subject="Kế hoạch của Đảng ủy thị trấn Liên Hương thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khtp")],
    ),
    dict(
        key="khmn",
        symbol="07-KH/ĐU",
        doc_type="ke_hoach",
        unit="BTH.PT.PHUONG-MUI-NE",
        term=LOCAL_TERM,
        date=D(2022, 2, 11),
        subject="Kế hoạch của Đảng ủy phường Mũi Né thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khpt")],
    ),
    dict(
        key="tb1355",
        symbol="148-TB/TW",
        doc_type="thong_bao",
        unit="TW",
        term=TW13,
        date=D(2024, 12, 20),
        subject="Thông báo kết luận của Bộ Chính trị về kết quả kiểm tra việc thực hiện "
        "Kết luận số "
        "21-KL/TW tại Ban Thường vụ Tỉnh ủy Bình Thuận (Đoàn kiểm tra số 1355)",
        classification=1,
        note="Mật, mô phỏng: số và ngày là suy đoán. Năm giả định: 2024 (seed 000 chỉ nêu "
        "“từ ngày 26/9 đến ngày 14/11”, không nêu năm; khi đó tỉnh Bình Thuận còn tồn tại, "
        "đến 01/07/2025 mới hợp nhất vào Lâm Đồng).",
        rel=[("cites", "kl21")],
    ),
    # Long An (seed 001), Lâm Đồng, Đắk Nông, Tây Ninh
    dict(
        key="khla",
        symbol="88-KH/TU",
        doc_type="ke_hoach",
        unit="LAN",
        term=LOCAL_TERM,
        date=D(2021, 12, 27),
        subject="Kế hoạch của Tỉnh ủy Long An thực hiện Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    dict(
        key="khta",
        symbol="52-KH/TU",
        doc_type="ke_hoach",
        unit="LAN.TA",
        term=LOCAL_TERM,
        date=D(2022, 1, 25),
        subject="Kế hoạch của Thành ủy Tân An thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khla")],
    ),
    dict(
        key="khld",
        symbol="31-KH/TU",
        doc_type="ke_hoach",
        unit="LDG",
        term=LOCAL_TERM,
        date=D(2021, 12, 30),
        subject="Kế hoạch của Tỉnh ủy Lâm Đồng thực hiện Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    dict(
        key="khdl",
        symbol="64-KH/TU",
        doc_type="ke_hoach",
        unit="LDG.DL",
        term=LOCAL_TERM,
        date=D(2022, 1, 19),
        subject="Kế hoạch của Thành ủy Đà Lạt thực hiện Kết luận số 21-KL/TW",
        note="Mô phỏng.",
        rel=[("implements", "khld")],
    ),
    dict(
        key="khdn",
        symbol="27-KH/TU",
        doc_type="ke_hoach",
        unit="DNO",
        term=LOCAL_TERM,
        date=D(2022, 1, 5),
        subject="Kế hoạch của Tỉnh ủy Đắk Nông thực hiện Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    dict(
        key="khtn",
        symbol="40-KH/TU",
        doc_type="ke_hoach",
        unit="TNI",
        term=LOCAL_TERM,
        date=D(2022, 1, 6),
        subject="Kế hoạch của Tỉnh ủy Tây Ninh thực hiện Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    # Seed 004: Hà Nội, Bắc Giang, Bình Định
    dict(
        key="khhn",
        symbol="01-KH/TU",
        doc_type="ke_hoach",
        unit="HNI",
        term=LOCAL_TERM,
        date=D(2022, 1, 10),
        subject="Kế hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ thành phố Hà Nội năm 2022 "
        "(có nội dung thực hiện Kết luận số 21-KL/TW)",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    dict(
        key="khbg",
        symbol="70-KH/TU",
        doc_type="ke_hoach",
        unit="BGG",
        term=LOCAL_TERM,
        date=D(2022, 3, 15),
        subject="Kế hoạch giám sát chuyên đề việc triển khai thực hiện Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    dict(
        key="khbd",
        symbol="55-KH/TU",
        doc_type="ke_hoach",
        unit="BDH",
        term=LOCAL_TERM,
        date=D(2022, 3, 22),
        subject="Kế hoạch kiểm tra việc lãnh đạo, chỉ đạo và xây dựng kế hoạch, tổ chức thực hiện "
        "Kết luận số 21-KL/TW",
        note="Số và ngày mô phỏng.",
        rel=[("implements", "kh03")],
    ),
    # The reorganisation of 2025 (decision of the province mergers).
    dict(
        key="nq60",
        symbol="60-NQ/TW",
        doc_type="nghi_quyet",
        unit="TW",
        term=TW13,
        date=D(2025, 4, 12),
        subject="Nghị quyết Hội nghị lần thứ mười một Ban Chấp hành Trung ương Đảng khóa XIII",
        note="Nghị quyết về sắp xếp đơn vị hành chính; trích yếu rút gọn.",
    ),
]
