"""Mapping between the stage dataclasses and the quotetrace.v1 protobuf messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from quotetrace.v1 import quotetrace_pb2 as pb
from quotetrace_server.attribution.model import QuoteKind
from quotetrace_server.entities.model import EntityKind
from quotetrace_server.errors import InvalidArgument
from quotetrace_server.index.model import (
    ArticleRecord,
    CorpusStats,
    DeletedArticle,
    IngestOutcome,
    IngestStatus,
    SpeakerLookup,
    SpeakerRecord,
    StoredQuote,
)
from quotetrace_server.ingest.html import HTML_CONTENT_TYPE, NoArticleText, extract_html
from quotetrace_server.ingest.metadata import derive_metadata, normalized_date
from quotetrace_server.ingest.model import Article, ArticleMeta, Origin
from quotetrace_server.verify import model as vm

VERDICTS = {
    vm.Verdict.VERIFIED: pb.VERDICT_VERIFIED,
    vm.Verdict.ALTERED: pb.VERDICT_ALTERED,
    vm.Verdict.MISATTRIBUTED: pb.VERDICT_MISATTRIBUTED,
    vm.Verdict.UNATTRIBUTED: pb.VERDICT_UNATTRIBUTED,
    vm.Verdict.NOT_FOUND: pb.VERDICT_NOT_FOUND,
}
QUOTE_KINDS = {
    QuoteKind.DIRECT: pb.QUOTE_KIND_DIRECT,
    QuoteKind.PARTIAL: pb.QUOTE_KIND_PARTIAL,
    QuoteKind.CONTINUATION: pb.QUOTE_KIND_CONTINUATION,
    QuoteKind.TERM: pb.QUOTE_KIND_TERM,
}
SPEAKER_KINDS = {
    EntityKind.PERSON: pb.SPEAKER_KIND_PERSON,
    EntityKind.ORGANIZATION: pb.SPEAKER_KIND_ORGANIZATION,
}
DIFF_OPS = {
    vm.DiffOp.EQUAL: pb.DIFF_OP_EQUAL,
    vm.DiffOp.INSERT: pb.DIFF_OP_INSERT,
    vm.DiffOp.DELETE: pb.DIFF_OP_DELETE,
    vm.DiffOp.REPLACE: pb.DIFF_OP_REPLACE,
}
MATCH_SIGNALS = {
    vm.MatchSignal.NONE: pb.MATCH_SIGNAL_UNSPECIFIED,
    vm.MatchSignal.LEXICAL: pb.MATCH_SIGNAL_LEXICAL,
    vm.MatchSignal.SEMANTIC: pb.MATCH_SIGNAL_SEMANTIC,
}
SEMANTIC_STATES = {
    vm.SemanticState.ON: pb.SEMANTIC_SEARCH_ON,
    vm.SemanticState.OFF: pb.SEMANTIC_SEARCH_OFF,
}

DIFFERENCE_KINDS = {
    vm.DifferenceKind.CASE: pb.DIFFERENCE_KIND_CASE,
    vm.DifferenceKind.PUNCTUATION: pb.DIFFERENCE_KIND_PUNCTUATION,
    vm.DifferenceKind.CONTRACTION: pb.DIFFERENCE_KIND_CONTRACTION,
    vm.DifferenceKind.SPELLING: pb.DIFFERENCE_KIND_SPELLING,
    vm.DifferenceKind.WORD: pb.DIFFERENCE_KIND_WORD,
}


def article_from_proto(message: pb.Article) -> Article:
    """The article with the caller's metadata (see the rule on `Article` in the .proto).

    A field the caller left unset is read from the text (for an HTML page: from the
    page, then from its extracted text); a field set to "" is "not stated" and stays
    None; a value is kept as given. An HTML page is stored as its extracted main text.
    """
    if message.content_type == HTML_CONTENT_TYPE:
        try:
            page = extract_html(message.text, message.url or None)
        except NoArticleText as error:
            raise InvalidArgument(f"article.text: {error}") from None
        text, stated = page.text, page.meta
    else:
        text, stated = message.text, derive_metadata(message.text)

    def given(name: str, derived: str | None) -> str | None:
        if not message.HasField(name):
            return derived
        return str(getattr(message, name)) or None

    credits_stated = bool(message.wire_credits) or message.wire_credits_stated
    wire_credits = tuple(message.wire_credits) if credits_stated else stated.wire_credits
    date = given("date", stated.date)
    if date and message.HasField("date"):  # validated before (validation.check_article)
        date = normalized_date(date)  # stored as YYYY-MM-DD
    meta = ArticleMeta(
        title=given("title", stated.title),
        outlet=given("outlet", stated.outlet),
        wire_credits=wire_credits,
        byline=given("byline", stated.byline),
        date=date,
        url=message.url or stated.url,
        source_name=message.source_name or None,
        source_path=message.source_path or None,
        derived=stated.derived,
    )
    given_fields = [f for f in ("title", "outlet", "byline", "date") if message.HasField(f)]
    given_fields += ["wire_credits"] * credits_stated + ["url"] * bool(message.url)
    return Article(text=text, meta=meta.stated(given_fields))


def verify_response(result: vm.VerifyResult) -> pb.VerifyResponse:
    return pb.VerifyResponse(
        verdict=VERDICTS[result.verdict],
        confidence=result.confidence,
        speakers=[speaker_score(s) for s in result.speakers],
        variants=[variant(v) for v in result.variants],
        outlets=[pb.OutletCount(name=name, count=count) for name, count in result.outlets],
        explanation=result.explanation,
        normalized_query=result.normalized_query,
        utterance_id=result.utterance_id or "",
        nlp_processors=list(result.processors),
        printing_count=result.printing_count,
        variant_count=result.variant_count,
        speakers_omitted=result.speakers_omitted,
        outlets_omitted=result.outlets_omitted,
        match_signal=MATCH_SIGNALS[result.match_signal],
        lexical_score=result.lexical_score,
        semantic_similarity=result.semantic_similarity,
        semantic_search=SEMANTIC_STATES[result.semantic_state],
        semantic_model=result.semantic_model or "",
        printings_outside_filter=result.printings_outside_filter,
        closest=occurrence(result.closest) if result.closest is not None else None,
        closest_similarity=result.closest_similarity,
        first_appearance=printing(result.first_appearance) if result.first_appearance else None,
        timeline=[printing(p) for p in result.timeline],
        timeline_omitted=result.timeline_omitted,
    )


def speaker_score(score: vm.SpeakerScore) -> pb.Speaker:
    return pb.Speaker(
        name=score.name,
        aliases=list(score.aliases),
        kind=SPEAKER_KINDS.get(score.kind, pb.SPEAKER_KIND_UNSPECIFIED),
        probability=score.probability,
        occurrence_count=score.occurrence_count,
        speaker_id=score.speaker_id,
    )


def variant(v: vm.Variant) -> pb.Variant:
    return pb.Variant(
        text=v.text,
        similarity=v.similarity,
        exact_match=v.exact_match,
        diff=[
            pb.DiffSegment(op=DIFF_OPS[d.op], query_text=d.query_text, variant_text=d.variant_text)
            for d in v.diff
        ],
        occurrences=[occurrence(o) for o in v.occurrences],
        occurrence_count=v.occurrence_count,
        occurrences_omitted=v.occurrences_omitted,
        text_truncated=v.text_truncated,
        equivalent=v.equivalent,
        differences=[
            pb.Difference(
                kind=DIFFERENCE_KINDS[d.kind], query_text=d.query_text, variant_text=d.variant_text
            )
            for d in v.differences
        ],
        first_appearance=printing(v.first_appearance) if v.first_appearance else None,
    )


def printing(p: vm.Printing) -> pb.Printing:
    return pb.Printing(
        date=p.date or "",
        outlet=p.outlet or "",
        wire_credits=list(p.wire_credits),
        url=p.url or "",
        title=p.title or "",
        article_id=p.article_id,
        quote_id=p.quote_id,
        speaker=p.speaker or "",
        text=p.text,
        text_truncated=p.text_truncated,
        variant_index=p.variant_index,
    )


def occurrence(o: vm.Occurrence) -> pb.Occurrence:
    return pb.Occurrence(
        article_id=o.article_id,
        outlet=o.outlet or "",
        wire_credits=list(o.wire_credits),
        title=o.title or "",
        date=o.date or "",
        url=o.url or "",
        start=o.start,
        end=o.end,
        context=o.context,
        speaker=o.speaker or "",
        speaker_mention=o.speaker_mention or "",
        cue=o.cue or "",
        sieve=o.sieve or "",
        resolution=o.resolution or "",
        attribution_confidence=o.attribution_confidence,
        kind=QUOTE_KINDS[o.kind],
        quote_id=o.quote_id,
        source_name=o.source_name or "",
        text=o.text,
        text_truncated=o.text_truncated,
    )


# Speaker names, mentions and cues are words of an article, outlets are metadata (at most
# 1,000 characters through the API): one longer than this is no name (a run of thousands
# of capitalised words, say) and is cut in answers, the last character "…".
MAX_LABEL_CHARS = 1_000


def label(text: str | None) -> str:
    """`text` ("" for None), cut to MAX_LABEL_CHARS."""
    if text is None:
        return ""
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def quote(q: StoredQuote) -> pb.Quote:
    return pb.Quote(
        quote_id=q.quote_id,
        article_id=q.article_id,
        text=q.text,
        start=q.start,
        end=q.end,
        kind=QUOTE_KINDS[q.kind],
        speaker=label(q.speaker),
        speaker_mention=label(q.speaker_mention),
        cue=label(q.cue),
        sieve=q.sieve or "",
        confidence=q.confidence,
        utterance_id=q.utterance_id or "",
        outlet=label(q.outlet),
        text_truncated=q.text_truncated,
    )


def speaker_record(record: SpeakerRecord) -> pb.GetSpeakerResponse:
    return pb.GetSpeakerResponse(speaker=_speaker(record), article_ids=list(record.article_ids))


def speaker_lookup(lookup: SpeakerLookup) -> pb.GetSpeakerResponse:
    response = speaker_record(lookup.record)
    response.ambiguous = lookup.ambiguous
    response.candidates.extend(_speaker(r) for r in lookup.candidates)
    response.forms.extend(pb.SpeakerForm(form=f, quote_count=n) for f, n in lookup.forms)
    response.evidence.extend(lookup.evidence)
    return response


def _speaker(record: SpeakerRecord) -> pb.Speaker:
    return pb.Speaker(
        name=record.name,
        aliases=list(record.aliases),
        kind=SPEAKER_KINDS.get(record.kind, pb.SPEAKER_KIND_UNSPECIFIED),
        occurrence_count=record.quote_count,
        speaker_id=record.speaker_id,
    )


# IngestArticlesResponse lists this many article ids at most, whatever the stream's length.
MAX_INGEST_IDS = 1_000

INGEST_STATUSES = {
    IngestStatus.ADDED: pb.INGEST_STATUS_ADDED,
    IngestStatus.UNCHANGED: pb.INGEST_STATUS_UNCHANGED,
    IngestStatus.REPLACED: pb.INGEST_STATUS_REPLACED,
}
METADATA_ORIGINS: dict[str, pb.MetadataOrigin] = {
    Origin.TEXT: pb.METADATA_ORIGIN_ARTICLE_TEXT,
    Origin.HTML_METADATA: pb.METADATA_ORIGIN_HTML_METADATA,
    Origin.HTMLDATE: pb.METADATA_ORIGIN_HTMLDATE,
    Origin.WARC_RECORD: pb.METADATA_ORIGIN_WARC_RECORD,
}


@dataclass
class IngestTally:
    """What one ingest stream did, kept as counts (and the first ids) as it goes."""

    received: int = 0
    added: int = 0
    replaced: int = 0
    rejected: int = 0
    quotes_added: int = 0
    quotes_removed: int = 0
    article_ids: list[str] = field(default_factory=list)
    keep_ids: bool = True

    def count(self, outcome: IngestOutcome) -> None:
        self.received += 1
        self.added += outcome.status is IngestStatus.ADDED
        self.replaced += outcome.status is IngestStatus.REPLACED
        self.quotes_added += outcome.quotes_added
        self.quotes_removed += outcome.quotes_removed
        if self.keep_ids and len(self.article_ids) < MAX_INGEST_IDS:
            self.article_ids.append(outcome.article_id)

    def count_rejected(self) -> None:
        self.received += 1
        self.rejected += 1


def ingest_response(tally: IngestTally, processors: tuple[str, ...]) -> pb.IngestArticlesResponse:
    return pb.IngestArticlesResponse(
        articles_received=tally.received,
        articles_added=tally.added,
        articles_unchanged=tally.received - tally.added - tally.replaced - tally.rejected,
        articles_replaced=tally.replaced,
        articles_rejected=tally.rejected,
        quotes_added=tally.quotes_added,
        quotes_removed=tally.quotes_removed,
        article_ids=tally.article_ids,
        article_ids_omitted=tally.received - tally.rejected - len(tally.article_ids)
        if tally.keep_ids
        else 0,
        nlp_processors=list(processors),
    )


def item_name(message: pb.Article, number: int) -> str:
    """How one article of a stream is named in its result and its errors."""
    return message.source_name or message.url or message.source_path or f"article {number}"


def item_result(number: int, name: str, outcome: IngestOutcome) -> pb.IngestItemResult:
    return pb.IngestItemResult(
        number=number,
        name=name,
        status=INGEST_STATUSES[outcome.status],
        article_id=outcome.article_id,
        quotes_added=outcome.quotes_added,
        quotes_removed=outcome.quotes_removed,
    )


def rejected_item(number: int, name: str, reason: str) -> pb.IngestItemResult:
    return pb.IngestItemResult(
        number=number, name=name, status=pb.INGEST_STATUS_REJECTED, reason=reason
    )


def article_info(record: ArticleRecord) -> pb.ArticleInfo:
    return pb.ArticleInfo(
        article_id=record.article_id,
        title=record.title or "",
        outlet=record.outlet or "",
        wire_credits=list(record.wire_credits),
        byline=record.byline or "",
        date=record.date or "",
        url=record.url or "",
        source_name=record.source_name or "",
        identity=record.identity,
        quote_count=record.quote_count,
        speaker_count=record.speaker_count,
        char_count=record.char_count,
        derived=[
            pb.DerivedField(
                field=name, origin=METADATA_ORIGINS.get(origin, pb.METADATA_ORIGIN_UNSPECIFIED)
            )
            for name, origin in record.derived
        ],
    )


def deleted_response(deleted: DeletedArticle) -> pb.DeleteArticleResponse:
    return pb.DeleteArticleResponse(
        article_id=deleted.article_id,
        quotes_removed=deleted.quotes_removed,
        speakers_removed=deleted.speakers_removed,
        utterances_removed=deleted.utterances_removed,
    )


def stats_response(stats: CorpusStats, version: str) -> pb.GetStatsResponse:
    return pb.GetStatsResponse(
        article_count=stats.article_count,
        quote_count=stats.quote_count,
        speaker_count=stats.speaker_count,
        utterance_count=stats.utterance_count,
        outlet_count=stats.outlet_count,
        nlp_processors=list(stats.processors),
        server_version=version,
    )
