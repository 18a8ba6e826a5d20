"""The Persian Solar Hijri (Jalali) calendar: exact conversion to and from Gregorian dates.

The algorithm is Borkowski's, as in the jalaali-js library: the calendar's leap years follow
33-year cycles broken at the years in ``_BREAKS``, which reproduces the official (astronomical)
calendar of Iran for Solar Hijri years -61 to 3177. Years outside that range raise ValueError.
Gregorian dates are Python ``date`` objects, so their day numbers are ``date.toordinal()``.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

# Farvardin ... Esfand, in Persian (the calendar's own month names).
MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

_BREAKS = (
    -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
    1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
)  # fmt: skip


class JalaliDate(NamedTuple):
    year: int
    month: int
    day: int

    @property
    def month_name(self) -> str:
        return MONTHS[self.month - 1]


def _div(a: int, b: int) -> int:
    """Division truncated toward zero, as the algorithm was written (not Python's floor)."""
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b > 0) else -quotient


def _mod(a: int, b: int) -> int:
    return a - _div(a, b) * b


def _year_facts(year: int) -> tuple[int, int, int]:
    """(Gregorian year of 1 Farvardin, its day in March, years since the last leap year: 0 = leap)."""
    if not _BREAKS[0] <= year < _BREAKS[-1]:
        raise ValueError(f"Solar Hijri year {year} is outside {_BREAKS[0]}..{_BREAKS[-1] - 1}")
    gregorian_year = year + 621
    leap_jalali = -14
    previous = _BREAKS[0]
    jump = 0
    for limit in _BREAKS[1:]:
        jump = limit - previous
        if year < limit:
            break
        leap_jalali += _div(jump, 33) * 8 + _div(_mod(jump, 33), 4)
        previous = limit
    n = year - previous
    leap_jalali += _div(n, 33) * 8 + _div(_mod(n, 33) + 3, 4)
    if _mod(jump, 33) == 4 and jump - n == 4:
        leap_jalali += 1
    leap_gregorian = _div(gregorian_year, 4) - _div((_div(gregorian_year, 100) + 1) * 3, 4) - 150
    march = 20 + leap_jalali - leap_gregorian
    if jump - n < 6:
        n = n - jump + _div(jump + 4, 33) * 33
    leap = _mod(_mod(n + 1, 33) - 1, 4)
    return gregorian_year, march, 4 if leap == -1 else leap


def is_leap(year: int) -> bool:
    return _year_facts(year)[2] == 0


def month_length(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def nowruz(year: int) -> date:
    """1 Farvardin of ``year`` as a Gregorian date."""
    gregorian_year, march, _leap = _year_facts(year)
    return date(gregorian_year, 3, march)


def to_gregorian(year: int, month: int, day: int) -> date:
    if not 1 <= day <= month_length(year, month):
        raise ValueError(f"{year}/{month}/{day} is not a Solar Hijri date")
    days_before_month = (month - 1) * 31 - max(0, month - 7)  # six months of 31 days, then 30
    return date.fromordinal(nowruz(year).toordinal() + days_before_month + day - 1)


def from_gregorian(value: date) -> JalaliDate:
    """The Solar Hijri date of a Gregorian date (a datetime's date part)."""
    year = value.year - 621
    day_number = value.toordinal()
    start = nowruz(year).toordinal()
    if day_number < start:  # before Nowruz: still the previous Solar Hijri year
        year -= 1
        start = nowruz(year).toordinal()
    days = day_number - start
    if days < 186:
        return JalaliDate(year, 1 + days // 31, days % 31 + 1)
    days -= 186
    return JalaliDate(year, 7 + days // 30, days % 30 + 1)


# Django date-format characters that name a part of the date (weekdays and times do not depend on
# the calendar, so Django formats those itself).
_DATE_PARTS = {
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "F": lambda d: d.month_name,
    "M": lambda d: d.month_name,
    "N": lambda d: d.month_name,
    "E": lambda d: d.month_name,
    "b": lambda d: d.month_name,
    "Y": lambda d: str(d.year),
    "y": lambda d: f"{d.year % 100:02d}",
    "t": lambda d: str(month_length(d.year, d.month)),
    "L": lambda d: str(is_leap(d.year)),
}


def format_date(value: date, format_string: str) -> str:
    """``value`` in a Django date format (``"j F Y، H:i"``), its date parts in the Solar Hijri calendar."""
    from django.utils import dateformat

    solar = from_gregorian(value.date() if hasattr(value, "date") else value)
    parts = []
    characters = iter(format_string)
    for character in characters:
        if character == "\\":  # an escaped character stays escaped
            parts.append(character + next(characters, ""))
        elif character in _DATE_PARTS:
            parts.append("".join("\\" + c for c in _DATE_PARTS[character](solar)))
        else:
            parts.append(character)
    return dateformat.format(value, "".join(parts))
