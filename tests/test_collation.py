"""Vietnamese name order: given name, then middle, then family; Vietnamese alphabet
(Đ after D, Ư after U…); tones after letters, in dictionary order (none, huyền, hỏi,
ngã, sắc, nặng). The expected order below was checked by hand against that convention."""

import random

from live.collation import name_sort_key, word_key

EXPECTED = [
    "Hồ Văn A",  # A without a tone first…
    "Mai Văn À",  # … then huyền,
    "Xa Thị Ả",  # hỏi,
    "Lý Văn Ã",  # ngã,
    "Tạ Thị Á",  # sắc,
    "Ngô Văn Ạ",  # nặng: tones break a tie of letters only
    "Nguyễn Văn An",  # a shorter given name before a longer one that starts with it
    "Hoàng Văn Anh",
    "Trần Thị Ánh",  # letters first: Ánh (a-n-h) before Ân (â-n)
    "Hà Thị Ân",
    "Nguyễn Thị Ấn",
    "Đinh Công Bình",  # same given name: the middle name decides (Công < Văn)
    "Vũ Văn Bình",
    "Đặng Văn Dũng",  # same given and middle name: the family name decides (Đ < L)
    "Lê Văn Dũng",
    "Phạm Văn Dương",  # U before Ư
    "Bùi Thị Đào",  # Đ after every D
    "Lò Văn Uy",
    "Quách Thị Ưng",
]


def test_a_shuffled_list_comes_back_in_vietnamese_order():
    shuffled = EXPECTED[:]
    for seed in range(20):
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=name_sort_key) == EXPECTED


def test_letters_and_tones():
    assert word_key("Đào")[0] > word_key("Dương")[0]  # đ is a letter of its own, after d
    assert word_key("ơ")[0] > word_key("ô")[0] > word_key("o")[0]
    assert word_key("Ánh")[0] == word_key("anh")[0]  # case and tone do not change the letters
    assert [word_key(w)[1] for w in ("a", "à", "ả", "ã", "á", "ạ")] == [
        (0,),
        (1,),
        (2,),
        (3,),
        (4,),
        (5,),
    ]
    assert word_key("Ưng") == word_key("ưng")
