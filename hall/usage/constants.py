"""Rights and limits of the usage figures (R-9.2)."""

# See a window's monthly usage sheet: a clerk their own window's, a department
# admin their department's windows, the center and its supervisors the center's.
RIGHT_VIEW = "usage.view_usage"
# Compare windows: the department view (summing its windows) and the center's
# ranking. Not a clerk's: a clerk sees their own window only.
RIGHT_COMPARE = "usage.compare_usage"

# The months a sheet may be asked for (the input accepts these years only).
FIRST_YEAR = 2000
LAST_YEAR = 2099

# Pre-review of an online application is due within this many working days of
# its submission (the applicant is told so on submitting: cases.NEXT_STEPS).
PREREVIEW_WORKING_DAYS = 1

# The codes of the two shares this app registers in hall.core.measures.
WALKINS_SAME_DAY = "walkins_same_day"
PREREVIEW_IN_TIME = "prereview_in_time"
