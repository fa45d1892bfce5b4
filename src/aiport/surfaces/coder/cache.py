"""Coder's provider list, rendered once per change rather than once per request.

The list is the hottest management read, and rendering it the Go way costs more than reading
it. A body is kept per workspace with the stamp of the provider list it was rendered from
(`providers.cache.ProviderViews`), so whatever invalidates the list invalidates the body too,
and a body rendered while a change committed is not kept.
"""

from __future__ import annotations

from starlette.requests import Request

from aiport.providers.cache import Stamp
from aiport.providers.reading import ProviderLists
from aiport.surfaces.coder.schemas import render_provider_list


class CoderRenderings:
    """One per process, made in the lifespan."""

    def __init__(self) -> None:
        self._lists: dict[int, tuple[Stamp, bytes]] = {}

    async def provider_list(self, lists: ProviderLists) -> bytes:
        """The caller's workspace's providers in Coder's shape (site owners only, checked on
        every call); no database session when the body is kept."""
        lists.access.require_admin()
        workspace_id = lists.access.workspace_id
        stamp = lists.stamp()
        hit = self._lists.get(workspace_id)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        body = render_provider_list(await lists.list())
        if stamp == lists.stamp():
            self._lists[workspace_id] = (stamp, body)
        return body


def get_coder_renderings(request: Request) -> CoderRenderings:
    renderings: CoderRenderings = request.app.state.coder_renderings
    return renderings
