"""Persian and Latin names and dates: normalization, cross-script keys, similarity, Jalali dates.

Pure functions, no I/O. See :mod:`reckon.text.names` (name parsing), :mod:`reckon.text.keys`
(the cross-script key and its rule table), :mod:`reckon.text.readings` (a word's other keys),
:mod:`reckon.text.similarity`, :mod:`reckon.text.dates` (partial dates), :mod:`reckon.text.places` (cities and prisons, with a gazetteer),
:mod:`reckon.text.persian`, :mod:`reckon.text.latin`, :mod:`reckon.text.digits`.

>>> name_key("حمید نوری") == name_key("Hamid Noury") == name_key("NOURI, Hamid")
True
>>> parse_date("۸ مرداد ۱۳۶۷").earliest
datetime.date(1988, 7, 30)
"""

from reckon.text.dates import PartialDate, parse_date
from reckon.text.digits import to_ascii_digits, to_persian_digits
from reckon.text.fingerprint import rules_fingerprint
from reckon.text.latin import normalize_latin
from reckon.text.names import (
    NormalizedName,
    detect_script,
    name_key,
    name_keys,
    name_keys_batch,
    normalize_name,
)
from reckon.text.persian import normalize_persian
from reckon.text.similarity import (
    DEFAULT_SIMILARITY_THRESHOLD,
    name_similarity,
    name_similarity_batch,
)

__all__ = [
    "DEFAULT_SIMILARITY_THRESHOLD",
    "NormalizedName",
    "PartialDate",
    "detect_script",
    "name_key",
    "name_keys",
    "name_keys_batch",
    "name_similarity",
    "name_similarity_batch",
    "normalize_latin",
    "normalize_name",
    "normalize_persian",
    "parse_date",
    "rules_fingerprint",
    "to_ascii_digits",
    "to_persian_digits",
]
