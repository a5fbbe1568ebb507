"""The sources' precision codes mapped onto the project's location and date precision.

Never more precise than the source: a code is mapped to the coarsest project precision it allows, and
the code itself is kept beside it (events.extra) so nothing is lost. docs/context-events.md has the table.
"""

from __future__ import annotations

#: ACLED geo_precision: 1 the named place itself; 2 near it / a part of a region; 3 only a larger region
#: (ACLED uses its provincial capital's coordinates).
ACLED_GEO: dict[str, str] = {"1": "town", "2": "near town", "3": "province"}
#: ACLED time_precision: 1 the day; 2 a week (the date is mid-week); 3 a month (the date is mid-month).
ACLED_TIME: dict[str, str] = {"1": "day", "2": "week", "3": "month"}
#: How many days either side of ACLED's date a week-precision event may be.
ACLED_WEEK_HALF_SPAN = 3

#: UCDP GED where_prec: 1 exact place; 2 within ~25 km of a known point; 3 second-order admin division;
#: 4 first-order admin division; 5 a linear feature or a larger area; 6 the country; 7 international
#: waters or airspace.
UCDP_GEO: dict[str, str] = {
    "1": "town", "2": "near town", "3": "district", "4": "province", "5": "region", "6": "country", "7": "sea",
}
#: UCDP GED date_prec: 1 the day; 2 two to six days; 3 a week; 4 a month; 5 a year or longer. The span
#: is date_start..date_end, which UCDP gives; the code only labels it.
UCDP_TIME: dict[str, str] = {"1": "day", "2": "days", "3": "week", "4": "month", "5": "year"}

#: UCDP type_of_violence -> the event type shown.
UCDP_VIOLENCE: dict[str, str] = {"1": "State-based conflict", "2": "Non-state conflict", "3": "One-sided violence"}
