"""The public holidays fixed by law (《全国年节及纪念日放假办法》, as amended in
2024, in force from 1 January 2025), for a year whose State Council schedule is
not entered yet.

全体公民放假的节日 (article 2):
  元旦 1 January; 春节 农历除夕 and 正月初一至初三 (4 days); 清明节 the day of
  the solar term 清明; 劳动节 1 and 2 May; 端午节 农历五月初五; 中秋节 农历八月十五;
  国庆节 1 to 3 October.

The lunar dates and the solar term come from the lunar-python package, not a
table. Only these days are known in advance: the State Council's schedule
later adds the bridging days and the make-up workdays (调休), and a holiday on a
weekend gets its 补休 there. So a year computed here stays provisional.
"""

from datetime import date
from functools import cache
from types import MappingProxyType

# The amended rules hold from this year on; every earlier year is in chinesecalendar.
FIRST_YEAR = 2025
# The last year the hall accepts a schedule for (PublishedYear.year's validator).
LAST_YEAR = 2100


def _solar(lunar_year: int, month: int, day: int) -> date:
    from lunar_python import Lunar

    s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


@cache
def statutory_holidays(year: int) -> MappingProxyType:
    """{date: festival name} of the days off by law in `year` (from FIRST_YEAR)."""
    from datetime import timedelta

    from lunar_python import Solar

    if year < FIRST_YEAR:
        return MappingProxyType({})
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _solar(year, 1, 1)  # 正月初一
    # 除夕 is the last day of the twelfth month (腊月廿九 or 三十): the day before 初一.
    for i in range(-1, 3):
        days[new_year + timedelta(days=i)] = "春节"
    jieqi = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]
    days[date(jieqi.getYear(), jieqi.getMonth(), jieqi.getDay())] = "清明节"
    days[date(year, 5, 1)] = "劳动节"
    days[date(year, 5, 2)] = "劳动节"
    days[_solar(year, 5, 5)] = "端午节"
    days[_solar(year, 8, 15)] = "中秋节"
    for d in (1, 2, 3):
        days[date(year, 10, d)] = "国庆节"
    return MappingProxyType(days)
