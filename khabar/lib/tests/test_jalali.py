"""The Persian Solar Hijri calendar: known dates, every day of three centuries both ways, formats."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import SimpleTestCase

from khabar.lib import jalali


class KnownDatesTests(SimpleTestCase):
    def test_nowruz_of_recent_years(self):
        # 1403 is a leap year (Esfand has 30 days), so Nowruz 1404 falls a day later in March.
        self.assertEqual(jalali.nowruz(1403), date(2024, 3, 20))
        self.assertEqual(jalali.nowruz(1404), date(2025, 3, 21))
        self.assertEqual(jalali.nowruz(1399), date(2020, 3, 20))
        self.assertEqual(jalali.nowruz(1402), date(2023, 3, 21))
        self.assertEqual(jalali.from_gregorian(date(2024, 3, 20)), (1403, 1, 1))
        self.assertEqual(jalali.from_gregorian(date(2025, 3, 21)), (1404, 1, 1))

    def test_the_day_before_nowruz_is_the_last_of_esfand(self):
        self.assertEqual(jalali.from_gregorian(date(2025, 3, 20)), (1403, 12, 30))
        self.assertEqual(jalali.from_gregorian(date(2024, 3, 19)), (1402, 12, 29))

    def test_other_known_dates(self):
        self.assertEqual(jalali.from_gregorian(date(1979, 2, 11)), (1357, 11, 22))  # 22 Bahman 1357
        self.assertEqual(jalali.from_gregorian(date(2000, 1, 1)), (1378, 10, 11))
        self.assertEqual(jalali.to_gregorian(1403, 7, 1), date(2024, 9, 22))  # 1 Mehr
        self.assertEqual(jalali.from_gregorian(datetime(2026, 12, 3, 23, 59)), (1405, 9, 12))

    def test_leap_years_of_the_cycle(self):
        self.assertEqual([y for y in range(1390, 1412) if jalali.is_leap(y)], [1391, 1395, 1399, 1403, 1408])

    def test_month_names_in_persian(self):
        self.assertEqual(jalali.MONTHS[0], "فروردین")
        self.assertEqual(jalali.MONTHS[-1], "اسفند")
        self.assertEqual(len(jalali.MONTHS), 12)

    def test_impossible_dates_and_years_outside_the_table_are_value_errors(self):
        for args in [(1403, 13, 1), (1403, 7, 31), (1402, 12, 30), (1403, 1, 0), (5000, 1, 1)]:
            with self.subTest(args=args), self.assertRaises(ValueError):
                jalali.to_gregorian(*args)
        with self.assertRaises(ValueError):
            jalali.from_gregorian(date(1, 1, 1))


class RoundTripTests(SimpleTestCase):
    def test_every_day_from_1900_to_2150_converts_both_ways_and_follows_the_previous_day(self):
        day, previous = date(1900, 1, 1), None
        while day < date(2150, 1, 1):
            solar = jalali.from_gregorian(day)
            self.assertEqual(jalali.to_gregorian(*solar), day)
            if previous is not None:
                if solar.day == 1:
                    self.assertEqual(previous.day, jalali.month_length(previous.year, previous.month))
                    self.assertEqual((solar.year * 12 + solar.month) - (previous.year * 12 + previous.month), 1)
                else:
                    self.assertEqual(solar, (previous.year, previous.month, previous.day + 1))
            previous, day = solar, day + timedelta(days=1)

    def test_a_year_is_365_or_366_days(self):
        for year in range(1300, 1500):
            with self.subTest(year=year):
                length = (jalali.nowruz(year + 1) - jalali.nowruz(year)).days
                self.assertEqual(length, 366 if jalali.is_leap(year) else 365)


class FormatTests(SimpleTestCase):
    def test_date_parts_in_the_solar_calendar_and_times_untouched(self):
        moment = datetime(2024, 3, 20, 14, 5)
        self.assertEqual(jalali.format_date(moment, "j F Y، ساعت G:i"), "1 فروردین 1403، ساعت 14:05")
        self.assertEqual(jalali.format_date(moment, "Y/m/d"), "1403/01/01")
        self.assertEqual(jalali.format_date(date(2025, 3, 20), r"j \o\f F y"), "30 of اسفند 03")
