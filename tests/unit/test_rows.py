"""`db.rows.found`: one row by its key, or the NotFound that the API turns into a 404."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from lantern.access.models import User
from lantern.common.errors import NotFound
from lantern.db.rows import found


def test_found_gives_the_row_or_says_what_is_missing(db: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user("sam")
    assert found(db, User, user.id, "user").username == "sam"
    with pytest.raises(NotFound, match="^no user nobody$"):
        found(db, User, "nobody", "user")
