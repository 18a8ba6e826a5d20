# Arabic newsroom style: "28 نوفمبر 2026"، "28 نوفمبر 2026، 14:45" (Django's Arabic month names).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j/n/Y"
