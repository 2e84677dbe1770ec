"""US states and territories: one table (`nlp/pii/data/us_states.txt`) for the redactor, which
keeps them as places, and for search, which reads them out of a query."""

from __future__ import annotations

from nlp.pii.wordlists import load_mapping

# Name as written (lower case; English, and Spanish, French and Portuguese spellings) -> postal
# code in capitals ("texas" -> "TX", "puerto rico" -> "PR").
US_STATES: dict[str, str] = {name: code.upper() for name, code in load_mapping("us_states").items()}
