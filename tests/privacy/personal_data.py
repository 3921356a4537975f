"""Look for a person's values anywhere in the database, the way an auditor would."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.models import Base


def tables_mentioning(db: Session, needles: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        for row in db.execute(select(table)):
            text = " ".join(str(value) for value in row).lower()
            hits = [n for n in needles if n.lower() in text]
            if hits:
                found.setdefault(table.name, []).extend(hits)
    return found
