"""The words a rep types for a source channel: in a quick line's `#tag` and in the customer
list's `source:` filter, in English and in the Chinese of the policy (GLOSSARY-zh-TW:
行業展會 · 網絡平臺 · 客戶推薦 · 市場調研) with their everyday short forms."""

from __future__ import annotations

from salesdev_tui.models.enums import Source

_SOURCE_WORDS: dict[Source, tuple[str, ...]] = {
    Source.TRADE_SHOW: ("trade_show", "tradeshow", "show", "expo", "fair", "exhibition",
                        "行業展會", "展會", "展覽", "展覽會", "參展"),
    Source.ONLINE: ("online", "web", "website", "internet",
                    "網絡平臺", "網絡", "網路", "網站", "線上", "網上"),
    Source.REFERRAL: ("referral", "ref", "referred", "客戶推薦", "推薦", "轉介", "介紹"),
    Source.RESEARCH: ("research", "cold", "市場調研", "調研", "市調", "陌生開發"),
    Source.OTHER: ("other", "其他"),
}

#: Word (case-folded, `_` for `-`) -> the source it names.
SOURCE_ALIASES: dict[str, Source] = {
    word: source for source, words in _SOURCE_WORDS.items() for word in words
}
