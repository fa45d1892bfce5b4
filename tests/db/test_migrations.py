"""One head, upgrade → downgrade → upgrade, and no drift between migrations and tables."""

from aiport.db import migrate
from aiport.db.engine import make_engine


def test_the_chain_has_one_head() -> None:
    assert len(migrate.head_revisions()) == 1


async def test_upgrade_downgrade_upgrade_leaves_no_drift(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert await migrate.drift(engine) == []
        await migrate.downgrade(engine, "base")
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revisions()[0]
        assert await migrate.drift(engine) == []
    finally:
        await engine.dispose()
