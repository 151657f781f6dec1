from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Verdict(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERDICT_UNSPECIFIED: _ClassVar[Verdict]
    VERDICT_VERIFIED: _ClassVar[Verdict]
    VERDICT_ALTERED: _ClassVar[Verdict]
    VERDICT_MISATTRIBUTED: _ClassVar[Verdict]
    VERDICT_UNATTRIBUTED: _ClassVar[Verdict]
    VERDICT_NOT_FOUND: _ClassVar[Verdict]

class SpeakerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SPEAKER_KIND_UNSPECIFIED: _ClassVar[SpeakerKind]
    SPEAKER_KIND_PERSON: _ClassVar[SpeakerKind]
    SPEAKER_KIND_ORGANIZATION: _ClassVar[SpeakerKind]

class QuoteKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    QUOTE_KIND_UNSPECIFIED: _ClassVar[QuoteKind]
    QUOTE_KIND_DIRECT: _ClassVar[QuoteKind]
    QUOTE_KIND_PARTIAL: _ClassVar[QuoteKind]
    QUOTE_KIND_CONTINUATION: _ClassVar[QuoteKind]
    QUOTE_KIND_TERM: _ClassVar[QuoteKind]

class DiffOp(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIFF_OP_UNSPECIFIED: _ClassVar[DiffOp]
    DIFF_OP_EQUAL: _ClassVar[DiffOp]
    DIFF_OP_INSERT: _ClassVar[DiffOp]
    DIFF_OP_DELETE: _ClassVar[DiffOp]
    DIFF_OP_REPLACE: _ClassVar[DiffOp]

class DifferenceKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIFFERENCE_KIND_UNSPECIFIED: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_CASE: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_PUNCTUATION: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_CONTRACTION: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_SPELLING: _ClassVar[DifferenceKind]
    DIFFERENCE_KIND_WORD: _ClassVar[DifferenceKind]

class MatchSignal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MATCH_SIGNAL_UNSPECIFIED: _ClassVar[MatchSignal]
    MATCH_SIGNAL_LEXICAL: _ClassVar[MatchSignal]
    MATCH_SIGNAL_SEMANTIC: _ClassVar[MatchSignal]

class SemanticSearch(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEMANTIC_SEARCH_UNSPECIFIED: _ClassVar[SemanticSearch]
    SEMANTIC_SEARCH_ON: _ClassVar[SemanticSearch]
    SEMANTIC_SEARCH_OFF: _ClassVar[SemanticSearch]

class IngestStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INGEST_STATUS_UNSPECIFIED: _ClassVar[IngestStatus]
    INGEST_STATUS_ADDED: _ClassVar[IngestStatus]
    INGEST_STATUS_UNCHANGED: _ClassVar[IngestStatus]
    INGEST_STATUS_REPLACED: _ClassVar[IngestStatus]
    INGEST_STATUS_REJECTED: _ClassVar[IngestStatus]

class MetadataOrigin(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    METADATA_ORIGIN_UNSPECIFIED: _ClassVar[MetadataOrigin]
    METADATA_ORIGIN_ARTICLE_TEXT: _ClassVar[MetadataOrigin]
    METADATA_ORIGIN_HTML_METADATA: _ClassVar[MetadataOrigin]
    METADATA_ORIGIN_HTMLDATE: _ClassVar[MetadataOrigin]
    METADATA_ORIGIN_WARC_RECORD: _ClassVar[MetadataOrigin]
VERDICT_UNSPECIFIED: Verdict
VERDICT_VERIFIED: Verdict
VERDICT_ALTERED: Verdict
VERDICT_MISATTRIBUTED: Verdict
VERDICT_UNATTRIBUTED: Verdict
VERDICT_NOT_FOUND: Verdict
SPEAKER_KIND_UNSPECIFIED: SpeakerKind
SPEAKER_KIND_PERSON: SpeakerKind
SPEAKER_KIND_ORGANIZATION: SpeakerKind
QUOTE_KIND_UNSPECIFIED: QuoteKind
QUOTE_KIND_DIRECT: QuoteKind
QUOTE_KIND_PARTIAL: QuoteKind
QUOTE_KIND_CONTINUATION: QuoteKind
QUOTE_KIND_TERM: QuoteKind
DIFF_OP_UNSPECIFIED: DiffOp
DIFF_OP_EQUAL: DiffOp
DIFF_OP_INSERT: DiffOp
DIFF_OP_DELETE: DiffOp
DIFF_OP_REPLACE: DiffOp
DIFFERENCE_KIND_UNSPECIFIED: DifferenceKind
DIFFERENCE_KIND_CASE: DifferenceKind
DIFFERENCE_KIND_PUNCTUATION: DifferenceKind
DIFFERENCE_KIND_CONTRACTION: DifferenceKind
DIFFERENCE_KIND_SPELLING: DifferenceKind
DIFFERENCE_KIND_WORD: DifferenceKind
MATCH_SIGNAL_UNSPECIFIED: MatchSignal
MATCH_SIGNAL_LEXICAL: MatchSignal
MATCH_SIGNAL_SEMANTIC: MatchSignal
SEMANTIC_SEARCH_UNSPECIFIED: SemanticSearch
SEMANTIC_SEARCH_ON: SemanticSearch
SEMANTIC_SEARCH_OFF: SemanticSearch
INGEST_STATUS_UNSPECIFIED: IngestStatus
INGEST_STATUS_ADDED: IngestStatus
INGEST_STATUS_UNCHANGED: IngestStatus
INGEST_STATUS_REPLACED: IngestStatus
INGEST_STATUS_REJECTED: IngestStatus
METADATA_ORIGIN_UNSPECIFIED: MetadataOrigin
METADATA_ORIGIN_ARTICLE_TEXT: MetadataOrigin
METADATA_ORIGIN_HTML_METADATA: MetadataOrigin
METADATA_ORIGIN_HTMLDATE: MetadataOrigin
METADATA_ORIGIN_WARC_RECORD: MetadataOrigin

class DateRange(_message.Message):
    __slots__ = ("start_date", "end_date")
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    start_date: str
    end_date: str
    def __init__(self, start_date: _Optional[str] = ..., end_date: _Optional[str] = ...) -> None: ...

class VerifyRequest(_message.Message):
    __slots__ = ("quote", "claimed_speaker", "max_variants", "outlet", "date_range")
    QUOTE_FIELD_NUMBER: _ClassVar[int]
    CLAIMED_SPEAKER_FIELD_NUMBER: _ClassVar[int]
    MAX_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    DATE_RANGE_FIELD_NUMBER: _ClassVar[int]
    quote: str
    claimed_speaker: str
    max_variants: int
    outlet: str
    date_range: DateRange
    def __init__(self, quote: _Optional[str] = ..., claimed_speaker: _Optional[str] = ..., max_variants: _Optional[int] = ..., outlet: _Optional[str] = ..., date_range: _Optional[_Union[DateRange, _Mapping]] = ...) -> None: ...

class DiffSegment(_message.Message):
    __slots__ = ("op", "query_text", "variant_text")
    OP_FIELD_NUMBER: _ClassVar[int]
    QUERY_TEXT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_TEXT_FIELD_NUMBER: _ClassVar[int]
    op: DiffOp
    query_text: str
    variant_text: str
    def __init__(self, op: _Optional[_Union[DiffOp, str]] = ..., query_text: _Optional[str] = ..., variant_text: _Optional[str] = ...) -> None: ...

class Difference(_message.Message):
    __slots__ = ("kind", "query_text", "variant_text")
    KIND_FIELD_NUMBER: _ClassVar[int]
    QUERY_TEXT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_TEXT_FIELD_NUMBER: _ClassVar[int]
    kind: DifferenceKind
    query_text: str
    variant_text: str
    def __init__(self, kind: _Optional[_Union[DifferenceKind, str]] = ..., query_text: _Optional[str] = ..., variant_text: _Optional[str] = ...) -> None: ...

class Occurrence(_message.Message):
    __slots__ = ("article_id", "outlet", "wire_credits", "title", "date", "url", "start", "end", "context", "speaker", "speaker_mention", "cue", "sieve", "attribution_confidence", "kind", "quote_id", "source_name", "text", "resolution", "text_truncated")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    WIRE_CREDITS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_MENTION_FIELD_NUMBER: _ClassVar[int]
    CUE_FIELD_NUMBER: _ClassVar[int]
    SIEVE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTION_CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    TEXT_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    outlet: str
    wire_credits: _containers.RepeatedScalarFieldContainer[str]
    title: str
    date: str
    url: str
    start: int
    end: int
    context: str
    speaker: str
    speaker_mention: str
    cue: str
    sieve: str
    attribution_confidence: float
    kind: QuoteKind
    quote_id: str
    source_name: str
    text: str
    resolution: str
    text_truncated: bool
    def __init__(self, article_id: _Optional[str] = ..., outlet: _Optional[str] = ..., wire_credits: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ..., date: _Optional[str] = ..., url: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., context: _Optional[str] = ..., speaker: _Optional[str] = ..., speaker_mention: _Optional[str] = ..., cue: _Optional[str] = ..., sieve: _Optional[str] = ..., attribution_confidence: _Optional[float] = ..., kind: _Optional[_Union[QuoteKind, str]] = ..., quote_id: _Optional[str] = ..., source_name: _Optional[str] = ..., text: _Optional[str] = ..., resolution: _Optional[str] = ..., text_truncated: _Optional[bool] = ...) -> None: ...

class Printing(_message.Message):
    __slots__ = ("date", "outlet", "wire_credits", "url", "title", "article_id", "quote_id", "speaker", "text", "text_truncated", "variant_index")
    DATE_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    WIRE_CREDITS_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TEXT_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    VARIANT_INDEX_FIELD_NUMBER: _ClassVar[int]
    date: str
    outlet: str
    wire_credits: _containers.RepeatedScalarFieldContainer[str]
    url: str
    title: str
    article_id: str
    quote_id: str
    speaker: str
    text: str
    text_truncated: bool
    variant_index: int
    def __init__(self, date: _Optional[str] = ..., outlet: _Optional[str] = ..., wire_credits: _Optional[_Iterable[str]] = ..., url: _Optional[str] = ..., title: _Optional[str] = ..., article_id: _Optional[str] = ..., quote_id: _Optional[str] = ..., speaker: _Optional[str] = ..., text: _Optional[str] = ..., text_truncated: _Optional[bool] = ..., variant_index: _Optional[int] = ...) -> None: ...

class Variant(_message.Message):
    __slots__ = ("text", "similarity", "diff", "occurrences", "exact_match", "occurrence_count", "occurrences_omitted", "text_truncated", "equivalent", "differences", "first_appearance")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    DIFF_FIELD_NUMBER: _ClassVar[int]
    OCCURRENCES_FIELD_NUMBER: _ClassVar[int]
    EXACT_MATCH_FIELD_NUMBER: _ClassVar[int]
    OCCURRENCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    OCCURRENCES_OMITTED_FIELD_NUMBER: _ClassVar[int]
    TEXT_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    EQUIVALENT_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    FIRST_APPEARANCE_FIELD_NUMBER: _ClassVar[int]
    text: str
    similarity: float
    diff: _containers.RepeatedCompositeFieldContainer[DiffSegment]
    occurrences: _containers.RepeatedCompositeFieldContainer[Occurrence]
    exact_match: bool
    occurrence_count: int
    occurrences_omitted: int
    text_truncated: bool
    equivalent: bool
    differences: _containers.RepeatedCompositeFieldContainer[Difference]
    first_appearance: Printing
    def __init__(self, text: _Optional[str] = ..., similarity: _Optional[float] = ..., diff: _Optional[_Iterable[_Union[DiffSegment, _Mapping]]] = ..., occurrences: _Optional[_Iterable[_Union[Occurrence, _Mapping]]] = ..., exact_match: _Optional[bool] = ..., occurrence_count: _Optional[int] = ..., occurrences_omitted: _Optional[int] = ..., text_truncated: _Optional[bool] = ..., equivalent: _Optional[bool] = ..., differences: _Optional[_Iterable[_Union[Difference, _Mapping]]] = ..., first_appearance: _Optional[_Union[Printing, _Mapping]] = ...) -> None: ...

class Speaker(_message.Message):
    __slots__ = ("name", "aliases", "kind", "probability", "occurrence_count", "speaker_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    OCCURRENCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    aliases: _containers.RepeatedScalarFieldContainer[str]
    kind: SpeakerKind
    probability: float
    occurrence_count: int
    speaker_id: str
    def __init__(self, name: _Optional[str] = ..., aliases: _Optional[_Iterable[str]] = ..., kind: _Optional[_Union[SpeakerKind, str]] = ..., probability: _Optional[float] = ..., occurrence_count: _Optional[int] = ..., speaker_id: _Optional[str] = ...) -> None: ...

class OutletCount(_message.Message):
    __slots__ = ("name", "count")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    count: int
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class VerifyResponse(_message.Message):
    __slots__ = ("verdict", "confidence", "speakers", "variants", "outlets", "explanation", "normalized_query", "utterance_id", "nlp_processors", "printing_count", "variant_count", "speakers_omitted", "outlets_omitted", "printings_outside_filter", "closest", "closest_similarity", "first_appearance", "timeline", "timeline_omitted", "match_signal", "lexical_score", "semantic_similarity", "semantic_search", "semantic_model")
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SPEAKERS_FIELD_NUMBER: _ClassVar[int]
    VARIANTS_FIELD_NUMBER: _ClassVar[int]
    OUTLETS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    NORMALIZED_QUERY_FIELD_NUMBER: _ClassVar[int]
    UTTERANCE_ID_FIELD_NUMBER: _ClassVar[int]
    NLP_PROCESSORS_FIELD_NUMBER: _ClassVar[int]
    PRINTING_COUNT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_COUNT_FIELD_NUMBER: _ClassVar[int]
    SPEAKERS_OMITTED_FIELD_NUMBER: _ClassVar[int]
    OUTLETS_OMITTED_FIELD_NUMBER: _ClassVar[int]
    PRINTINGS_OUTSIDE_FILTER_FIELD_NUMBER: _ClassVar[int]
    CLOSEST_FIELD_NUMBER: _ClassVar[int]
    CLOSEST_SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    FIRST_APPEARANCE_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_FIELD_NUMBER: _ClassVar[int]
    TIMELINE_OMITTED_FIELD_NUMBER: _ClassVar[int]
    MATCH_SIGNAL_FIELD_NUMBER: _ClassVar[int]
    LEXICAL_SCORE_FIELD_NUMBER: _ClassVar[int]
    SEMANTIC_SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    SEMANTIC_SEARCH_FIELD_NUMBER: _ClassVar[int]
    SEMANTIC_MODEL_FIELD_NUMBER: _ClassVar[int]
    verdict: Verdict
    confidence: float
    speakers: _containers.RepeatedCompositeFieldContainer[Speaker]
    variants: _containers.RepeatedCompositeFieldContainer[Variant]
    outlets: _containers.RepeatedCompositeFieldContainer[OutletCount]
    explanation: str
    normalized_query: str
    utterance_id: str
    nlp_processors: _containers.RepeatedScalarFieldContainer[str]
    printing_count: int
    variant_count: int
    speakers_omitted: int
    outlets_omitted: int
    printings_outside_filter: int
    closest: Occurrence
    closest_similarity: float
    first_appearance: Printing
    timeline: _containers.RepeatedCompositeFieldContainer[Printing]
    timeline_omitted: int
    match_signal: MatchSignal
    lexical_score: float
    semantic_similarity: float
    semantic_search: SemanticSearch
    semantic_model: str
    def __init__(self, verdict: _Optional[_Union[Verdict, str]] = ..., confidence: _Optional[float] = ..., speakers: _Optional[_Iterable[_Union[Speaker, _Mapping]]] = ..., variants: _Optional[_Iterable[_Union[Variant, _Mapping]]] = ..., outlets: _Optional[_Iterable[_Union[OutletCount, _Mapping]]] = ..., explanation: _Optional[str] = ..., normalized_query: _Optional[str] = ..., utterance_id: _Optional[str] = ..., nlp_processors: _Optional[_Iterable[str]] = ..., printing_count: _Optional[int] = ..., variant_count: _Optional[int] = ..., speakers_omitted: _Optional[int] = ..., outlets_omitted: _Optional[int] = ..., printings_outside_filter: _Optional[int] = ..., closest: _Optional[_Union[Occurrence, _Mapping]] = ..., closest_similarity: _Optional[float] = ..., first_appearance: _Optional[_Union[Printing, _Mapping]] = ..., timeline: _Optional[_Iterable[_Union[Printing, _Mapping]]] = ..., timeline_omitted: _Optional[int] = ..., match_signal: _Optional[_Union[MatchSignal, str]] = ..., lexical_score: _Optional[float] = ..., semantic_similarity: _Optional[float] = ..., semantic_search: _Optional[_Union[SemanticSearch, str]] = ..., semantic_model: _Optional[str] = ...) -> None: ...

class VerifyStreamRequest(_message.Message):
    __slots__ = ("request", "claim_id")
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    request: VerifyRequest
    claim_id: str
    def __init__(self, request: _Optional[_Union[VerifyRequest, _Mapping]] = ..., claim_id: _Optional[str] = ...) -> None: ...

class VerifyStreamResponse(_message.Message):
    __slots__ = ("response", "claim_id")
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    CLAIM_ID_FIELD_NUMBER: _ClassVar[int]
    response: VerifyResponse
    claim_id: str
    def __init__(self, response: _Optional[_Union[VerifyResponse, _Mapping]] = ..., claim_id: _Optional[str] = ...) -> None: ...

class Article(_message.Message):
    __slots__ = ("text", "title", "outlet", "wire_credits", "byline", "date", "url", "source_name", "article_id", "wire_credits_stated", "content_type", "source_path")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    WIRE_CREDITS_FIELD_NUMBER: _ClassVar[int]
    BYLINE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    WIRE_CREDITS_STATED_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PATH_FIELD_NUMBER: _ClassVar[int]
    text: str
    title: str
    outlet: str
    wire_credits: _containers.RepeatedScalarFieldContainer[str]
    byline: str
    date: str
    url: str
    source_name: str
    article_id: str
    wire_credits_stated: bool
    content_type: str
    source_path: str
    def __init__(self, text: _Optional[str] = ..., title: _Optional[str] = ..., outlet: _Optional[str] = ..., wire_credits: _Optional[_Iterable[str]] = ..., byline: _Optional[str] = ..., date: _Optional[str] = ..., url: _Optional[str] = ..., source_name: _Optional[str] = ..., article_id: _Optional[str] = ..., wire_credits_stated: _Optional[bool] = ..., content_type: _Optional[str] = ..., source_path: _Optional[str] = ...) -> None: ...

class IngestArticlesRequest(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class IngestArticlesResponse(_message.Message):
    __slots__ = ("articles_received", "articles_added", "articles_unchanged", "quotes_added", "article_ids", "nlp_processors", "article_ids_omitted", "articles_replaced", "articles_rejected", "quotes_removed")
    ARTICLES_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    ARTICLES_ADDED_FIELD_NUMBER: _ClassVar[int]
    ARTICLES_UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    QUOTES_ADDED_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_IDS_FIELD_NUMBER: _ClassVar[int]
    NLP_PROCESSORS_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_IDS_OMITTED_FIELD_NUMBER: _ClassVar[int]
    ARTICLES_REPLACED_FIELD_NUMBER: _ClassVar[int]
    ARTICLES_REJECTED_FIELD_NUMBER: _ClassVar[int]
    QUOTES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    articles_received: int
    articles_added: int
    articles_unchanged: int
    quotes_added: int
    article_ids: _containers.RepeatedScalarFieldContainer[str]
    nlp_processors: _containers.RepeatedScalarFieldContainer[str]
    article_ids_omitted: int
    articles_replaced: int
    articles_rejected: int
    quotes_removed: int
    def __init__(self, articles_received: _Optional[int] = ..., articles_added: _Optional[int] = ..., articles_unchanged: _Optional[int] = ..., quotes_added: _Optional[int] = ..., article_ids: _Optional[_Iterable[str]] = ..., nlp_processors: _Optional[_Iterable[str]] = ..., article_ids_omitted: _Optional[int] = ..., articles_replaced: _Optional[int] = ..., articles_rejected: _Optional[int] = ..., quotes_removed: _Optional[int] = ...) -> None: ...

class IngestArticlesStreamRequest(_message.Message):
    __slots__ = ("article",)
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    article: Article
    def __init__(self, article: _Optional[_Union[Article, _Mapping]] = ...) -> None: ...

class IngestItemResult(_message.Message):
    __slots__ = ("number", "name", "status", "article_id", "quotes_added", "quotes_removed", "reason")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    QUOTES_ADDED_FIELD_NUMBER: _ClassVar[int]
    QUOTES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    number: int
    name: str
    status: IngestStatus
    article_id: str
    quotes_added: int
    quotes_removed: int
    reason: str
    def __init__(self, number: _Optional[int] = ..., name: _Optional[str] = ..., status: _Optional[_Union[IngestStatus, str]] = ..., article_id: _Optional[str] = ..., quotes_added: _Optional[int] = ..., quotes_removed: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class IngestArticlesStreamResponse(_message.Message):
    __slots__ = ("item", "summary")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    item: IngestItemResult
    summary: IngestArticlesResponse
    def __init__(self, item: _Optional[_Union[IngestItemResult, _Mapping]] = ..., summary: _Optional[_Union[IngestArticlesResponse, _Mapping]] = ...) -> None: ...

class DerivedField(_message.Message):
    __slots__ = ("field", "origin")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    field: str
    origin: MetadataOrigin
    def __init__(self, field: _Optional[str] = ..., origin: _Optional[_Union[MetadataOrigin, str]] = ...) -> None: ...

class ArticleInfo(_message.Message):
    __slots__ = ("article_id", "title", "outlet", "wire_credits", "byline", "date", "url", "source_name", "identity", "quote_count", "speaker_count", "char_count", "derived")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    WIRE_CREDITS_FIELD_NUMBER: _ClassVar[int]
    BYLINE_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    QUOTE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_COUNT_FIELD_NUMBER: _ClassVar[int]
    CHAR_COUNT_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    title: str
    outlet: str
    wire_credits: _containers.RepeatedScalarFieldContainer[str]
    byline: str
    date: str
    url: str
    source_name: str
    identity: str
    quote_count: int
    speaker_count: int
    char_count: int
    derived: _containers.RepeatedCompositeFieldContainer[DerivedField]
    def __init__(self, article_id: _Optional[str] = ..., title: _Optional[str] = ..., outlet: _Optional[str] = ..., wire_credits: _Optional[_Iterable[str]] = ..., byline: _Optional[str] = ..., date: _Optional[str] = ..., url: _Optional[str] = ..., source_name: _Optional[str] = ..., identity: _Optional[str] = ..., quote_count: _Optional[int] = ..., speaker_count: _Optional[int] = ..., char_count: _Optional[int] = ..., derived: _Optional[_Iterable[_Union[DerivedField, _Mapping]]] = ...) -> None: ...

class GetArticleRequest(_message.Message):
    __slots__ = ("article_id", "include_text")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_TEXT_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    include_text: bool
    def __init__(self, article_id: _Optional[str] = ..., include_text: _Optional[bool] = ...) -> None: ...

class GetArticleResponse(_message.Message):
    __slots__ = ("article", "text")
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    article: ArticleInfo
    text: str
    def __init__(self, article: _Optional[_Union[ArticleInfo, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...

class ListArticlesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "outlet")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    outlet: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., outlet: _Optional[str] = ...) -> None: ...

class ListArticlesResponse(_message.Message):
    __slots__ = ("articles", "next_page_token", "total_size")
    ARTICLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    articles: _containers.RepeatedCompositeFieldContainer[ArticleInfo]
    next_page_token: str
    total_size: int
    def __init__(self, articles: _Optional[_Iterable[_Union[ArticleInfo, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class DeleteArticleRequest(_message.Message):
    __slots__ = ("article_id",)
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    def __init__(self, article_id: _Optional[str] = ...) -> None: ...

class DeleteArticleResponse(_message.Message):
    __slots__ = ("article_id", "quotes_removed", "speakers_removed", "utterances_removed")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    QUOTES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    SPEAKERS_REMOVED_FIELD_NUMBER: _ClassVar[int]
    UTTERANCES_REMOVED_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    quotes_removed: int
    speakers_removed: int
    utterances_removed: int
    def __init__(self, article_id: _Optional[str] = ..., quotes_removed: _Optional[int] = ..., speakers_removed: _Optional[int] = ..., utterances_removed: _Optional[int] = ...) -> None: ...

class Quote(_message.Message):
    __slots__ = ("quote_id", "article_id", "text", "start", "end", "kind", "speaker", "speaker_mention", "cue", "sieve", "confidence", "utterance_id", "outlet", "text_truncated")
    QUOTE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_MENTION_FIELD_NUMBER: _ClassVar[int]
    CUE_FIELD_NUMBER: _ClassVar[int]
    SIEVE_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    UTTERANCE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTLET_FIELD_NUMBER: _ClassVar[int]
    TEXT_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    quote_id: str
    article_id: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str
    speaker_mention: str
    cue: str
    sieve: str
    confidence: float
    utterance_id: str
    outlet: str
    text_truncated: bool
    def __init__(self, quote_id: _Optional[str] = ..., article_id: _Optional[str] = ..., text: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., kind: _Optional[_Union[QuoteKind, str]] = ..., speaker: _Optional[str] = ..., speaker_mention: _Optional[str] = ..., cue: _Optional[str] = ..., sieve: _Optional[str] = ..., confidence: _Optional[float] = ..., utterance_id: _Optional[str] = ..., outlet: _Optional[str] = ..., text_truncated: _Optional[bool] = ...) -> None: ...

class ListQuotesRequest(_message.Message):
    __slots__ = ("article_id", "speaker", "page_size", "page_token")
    ARTICLE_ID_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    article_id: str
    speaker: str
    page_size: int
    page_token: str
    def __init__(self, article_id: _Optional[str] = ..., speaker: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListQuotesResponse(_message.Message):
    __slots__ = ("quotes", "next_page_token", "total_size", "nlp_processors")
    QUOTES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    NLP_PROCESSORS_FIELD_NUMBER: _ClassVar[int]
    quotes: _containers.RepeatedCompositeFieldContainer[Quote]
    next_page_token: str
    total_size: int
    nlp_processors: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, quotes: _Optional[_Iterable[_Union[Quote, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ..., nlp_processors: _Optional[_Iterable[str]] = ...) -> None: ...

class GetSpeakerRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetSpeakerResponse(_message.Message):
    __slots__ = ("speaker", "article_ids", "ambiguous", "candidates", "forms", "evidence")
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_IDS_FIELD_NUMBER: _ClassVar[int]
    AMBIGUOUS_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    FORMS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    speaker: Speaker
    article_ids: _containers.RepeatedScalarFieldContainer[str]
    ambiguous: bool
    candidates: _containers.RepeatedCompositeFieldContainer[Speaker]
    forms: _containers.RepeatedCompositeFieldContainer[SpeakerForm]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, speaker: _Optional[_Union[Speaker, _Mapping]] = ..., article_ids: _Optional[_Iterable[str]] = ..., ambiguous: _Optional[bool] = ..., candidates: _Optional[_Iterable[_Union[Speaker, _Mapping]]] = ..., forms: _Optional[_Iterable[_Union[SpeakerForm, _Mapping]]] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class SpeakerForm(_message.Message):
    __slots__ = ("form", "quote_count")
    FORM_FIELD_NUMBER: _ClassVar[int]
    QUOTE_COUNT_FIELD_NUMBER: _ClassVar[int]
    form: str
    quote_count: int
    def __init__(self, form: _Optional[str] = ..., quote_count: _Optional[int] = ...) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ("article_count", "quote_count", "speaker_count", "utterance_count", "outlet_count", "nlp_processors", "server_version")
    ARTICLE_COUNT_FIELD_NUMBER: _ClassVar[int]
    QUOTE_COUNT_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_COUNT_FIELD_NUMBER: _ClassVar[int]
    UTTERANCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    OUTLET_COUNT_FIELD_NUMBER: _ClassVar[int]
    NLP_PROCESSORS_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    article_count: int
    quote_count: int
    speaker_count: int
    utterance_count: int
    outlet_count: int
    nlp_processors: _containers.RepeatedScalarFieldContainer[str]
    server_version: str
    def __init__(self, article_count: _Optional[int] = ..., quote_count: _Optional[int] = ..., speaker_count: _Optional[int] = ..., utterance_count: _Optional[int] = ..., outlet_count: _Optional[int] = ..., nlp_processors: _Optional[_Iterable[str]] = ..., server_version: _Optional[str] = ...) -> None: ...
