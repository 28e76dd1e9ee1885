"""``{% load fragment_cache %}`` provides ``{% cache %}``: Django's fragment cache tag (same
syntax), except that a failing cache backend renders the fragment uncached (logged) instead of
failing the page — the rule of :mod:`ortswandel.core.cache` for template fragments."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.template import Context, Library
from django.templatetags.cache import CacheNode, do_cache

register = Library()
logger = logging.getLogger("ortswandel.core.cache")


class FailSoftCacheNode(CacheNode):
    def render(self, context: Context) -> Any:
        expire_time = self.expire_time_var.resolve(context)
        if expire_time is not None:
            expire_time = int(expire_time)
        if self.cache_name:
            fragment_cache = caches[self.cache_name.resolve(context)]
        else:
            try:
                fragment_cache = caches["template_fragments"]
            except InvalidCacheBackendError:
                fragment_cache = caches["default"]
        vary_on = [var.resolve(context) for var in self.vary_on]
        key = make_template_fragment_key(self.fragment_name, vary_on)
        try:
            value = fragment_cache.get(key)
        except Exception:
            logger.warning(
                "cache backend failed; fragment %s rendered uncached", key, exc_info=True
            )
            return self.nodelist.render(context)
        if value is None:
            value = self.nodelist.render(context)
            try:
                fragment_cache.set(key, value, expire_time)
            except Exception:
                logger.warning("cache backend failed storing fragment %s", key, exc_info=True)
        return value


@register.tag("cache")
def fail_soft_cache(parser: Any, token: Any) -> FailSoftCacheNode:
    node = do_cache(parser, token)
    return FailSoftCacheNode(
        node.nodelist, node.expire_time_var, node.fragment_name, node.vary_on, node.cache_name
    )
