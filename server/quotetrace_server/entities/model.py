"""People and organisations mentioned in one article."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    entity: int  # index into ArticleEntities.entities


@dataclass(frozen=True)
class Entity:
    name: str  # canonical: the fullest name seen, titles and roles stripped
    kind: EntityKind
    aliases: tuple[str, ...]  # every surface form seen in the article


@dataclass(frozen=True)
class ArticleEntities:
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]  # in text order
