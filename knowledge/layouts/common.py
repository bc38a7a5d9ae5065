"""Helpers every layout shares: Chinese numerals, document ids and regions."""

from __future__ import annotations

import re

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
)
NATIONAL = "全国"
_DIGITS = "零一二三四五六七八九"
_CITY = re.compile(r"^([\u4e00-\u9fff]{2,4}?(?:市|自治州|地区|盟))(?!场)")
_NOT_CITY = ("城市", "都市")


def cn_number(numeral: str) -> int:
    """'二十三' → 23, '一百零五' → 105 (Chinese numerals up to 999; plain digits pass through)."""
    if numeral.isdigit():
        return int(numeral)
    total, rest = 0, numeral
    for unit, factor in (("百", 100), ("十", 10)):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            total += (_CN_DIGITS[head[-1]] if head else 1) * factor
    digits = rest.replace("零", "").replace("〇", "")
    return total + (_CN_DIGITS[digits] if digits else 0)


def cn_numeral(n: int) -> str:
    """1 → '一', 27 → '二十七', 105 → '一百零五' (1..999), the inverse of cn_number."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    head = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        head += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        head += "零"
    return head + (_DIGITS[ones] if ones or not n else "")


def slug(text: str) -> str:
    """'职业教育法' → 'zyjyf': pinyin initials of the Chinese, letters and digits kept, lower case."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return re.sub(r"[^a-z0-9]", "", initials.lower())


def region_of(title: str, issuer: str = "") -> str:
    """A title and issuer → the region the document governs: a city, a province or 全国."""
    for text in (title, issuer):
        text = text.removeprefix("中华人民共和国")
        for province in PROVINCES:
            if text.startswith(province):
                city = _CITY.match(text[len(province):])
                if city and province.endswith("省") and not any(w in city.group(1) for w in _NOT_CITY):
                    return city.group(1)
                return province
    city = _CITY.match(issuer)
    if city and "人民" in issuer and not any(w in city.group(1) for w in _NOT_CITY):
        return city.group(1)  # a city's own congress or government
    return NATIONAL
