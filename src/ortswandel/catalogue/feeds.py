"""News feeds (RSS 2.0 and Atom 1.0) of published news items."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import NewsItem

FEED_ITEMS = 20


class NewsRssFeed(Feed):
    title = _("Ortswandel – Aktuelles")
    description = _("Neuigkeiten aus den Förderprogrammen und Projekten")

    def link(self) -> str:
        return reverse("catalogue:news_list")

    def items(self) -> list[NewsItem]:
        return selectors.latest_news(limit=FEED_ITEMS)

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.teaser or item.body

    def item_link(self, item: NewsItem) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: NewsItem) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(item.published_on, dt.time(9, 0)))

    def item_updateddate(self, item: NewsItem) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.programme)]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
