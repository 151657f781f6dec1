"""Human-readable and machine-readable renderings of API responses."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

from quotetrace.v1 import quotetrace_pb2 as pb

VERDICT_NAMES = {
    pb.VERDICT_VERIFIED: "VERIFIED",
    pb.VERDICT_ALTERED: "ALTERED",
    pb.VERDICT_MISATTRIBUTED: "MISATTRIBUTED",
    pb.VERDICT_UNATTRIBUTED: "UNATTRIBUTED",
    pb.VERDICT_NOT_FOUND: "NOT_FOUND",
}
DIFF_MARKS = {
    pb.DIFF_OP_EQUAL: "{}",
    pb.DIFF_OP_INSERT: "[+{}+]",
    pb.DIFF_OP_DELETE: "[-{}-]",
    pb.DIFF_OP_REPLACE: "[-{}-]",
}


def as_dict(message: Message) -> dict[str, Any]:
    """Protobuf JSON mapping with snake_case field names and every field present."""
    return MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


# Line breaks to str.splitlines() (and to JavaScript before ES2019) that JSON leaves raw.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: object) -> str:
    """One JSON Lines record: non-ASCII text kept, but nothing a line splitter could split."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS)


def as_json(message: Message) -> str:
    return json.dumps(as_dict(message), ensure_ascii=False, indent=2)


def diff_line(variant: pb.Variant) -> str:
    """The query with [-deleted-] and [+inserted+] words relative to this variant."""
    parts = []
    for segment in variant.diff:
        if segment.op == pb.DIFF_OP_REPLACE:
            parts.append(f"[-{segment.query_text}-][+{segment.variant_text}+]")
        elif segment.op == pb.DIFF_OP_INSERT:
            parts.append(DIFF_MARKS[segment.op].format(segment.variant_text))
        else:
            parts.append(DIFF_MARKS[segment.op].format(segment.query_text))
    return " ".join(p for p in parts if p)


def printed_by(occurrence: pb.Occurrence) -> str:
    """Outlet as stated, else its wire credit, else that nothing was stated."""
    if occurrence.outlet:
        return occurrence.outlet
    if occurrence.wire_credits:
        return "via " + " & ".join(occurrence.wire_credits)
    return "(outlet unstated)"


def difference_text(difference: pb.Difference) -> str:
    """`kind “query words” → “printed words”` (a side with no words shows as ∅)."""
    kind = pb.DifferenceKind.Name(difference.kind).removeprefix("DIFFERENCE_KIND_").lower()
    query = f"“{difference.query_text}”" if difference.query_text else "∅"
    printed = f"“{difference.variant_text}”" if difference.variant_text else "∅"
    return f"{kind} {query} → {printed}"


def occurrence_line(occ: pb.Occurrence) -> str:
    where = " · ".join(
        x for x in (printed_by(occ), occ.date, occ.source_name or occ.article_id) if x
    )
    who = f"{occ.speaker_mention or occ.speaker} {occ.cue}".strip() or "unattributed"
    return f"{where} [{occ.start}:{occ.end}]  {who}"


def verify_text(quote: str, response: pb.VerifyResponse) -> str:
    verdict = VERDICT_NAMES.get(response.verdict, "UNSPECIFIED")
    lines = [f"{verdict}  confidence {response.confidence:.2f}  “{quote}”", response.explanation]
    if response.printings_outside_filter:
        lines.append(
            f"Outside the filter: {response.printings_outside_filter} printing(s)"
            " (run again without --outlet/--from/--to to see them)"
        )
    if response.HasField("closest"):
        closest = response.closest
        lines.append(
            f"Closest printing (similarity {response.closest_similarity:.2f}):"
            f" “{closest.text}” — {closest.speaker or 'no speaker named'}"
        )
        lines.append(f"    - {occurrence_line(closest)}")
        if closest.url:
            lines.append(f"      {closest.url}")
    if response.speakers:
        lines.append("Speakers:")
        for s in response.speakers:
            aliases = ", ".join(a for a in s.aliases if a != s.name)
            lines.append(
                f"  {s.name:<24} p={s.probability:.2f}  {s.occurrence_count} printing(s)"
                + (f"  aka {aliases}" if aliases else "")
            )
    if response.outlets:
        lines.append("Outlets: " + ", ".join(f"{o.name} ({o.count})" for o in response.outlets))
    if response.HasField("first_appearance"):
        lines.append("First appearance: " + printing_line(response.first_appearance))
    for number, variant in enumerate(response.variants, start=1):
        if variant.exact_match:
            mark = "exact"
        elif variant.equivalent:
            mark = f"same words, similarity {variant.similarity:.2f}"
        else:
            mark = f"similarity {variant.similarity:.2f}"
        lines.append(f"Variant {number} ({mark}): “{variant.text}”")
        if not variant.exact_match and variant.diff:
            lines.append(f"    diff: {diff_line(variant)}")
        for difference in variant.differences:
            lines.append(f"    differs: {difference_text(difference)}")
        for occ in variant.occurrences:
            lines.append(f"    - {occurrence_line(occ)}")
            if occ.url:
                lines.append(f"      {occ.url}")
    if response.nlp_processors:
        lines.append("NLP processors: " + ",".join(response.nlp_processors))
    lines.append(semantic_line(response))
    return "\n".join(line for line in lines if line)


def semantic_line(response: pb.VerifyResponse) -> str:
    """How the match was found, and whether the server looks claims up by meaning."""
    if response.semantic_search == pb.SEMANTIC_SEARCH_OFF:
        return "Semantic search: off (lexical-only server: re-worded claims may be NOT_FOUND)"
    if response.semantic_search != pb.SEMANTIC_SEARCH_ON:
        return ""
    if response.match_signal == pb.MATCH_SIGNAL_SEMANTIC:
        how = (
            f"found by meaning (cosine {response.semantic_similarity:.2f},"
            f" words {response.lexical_score:.0f}/100)"
        )
    elif response.match_signal == pb.MATCH_SIGNAL_LEXICAL:
        how = f"found by its words ({response.lexical_score:.0f}/100)"
    else:
        how = "nothing close in words or meaning"
    return f"Semantic search: on ({response.semantic_model}); {how}"


def printing_line(p: pb.Printing) -> str:
    """`date · outlet · URL · “wording”`: what `quotetrace timeline` prints per printing."""
    outlet = p.outlet or ("via " + " & ".join(p.wire_credits) if p.wire_credits else "")
    where = [p.date or "(undated)", outlet or "(outlet unstated)", p.url or "(no URL)"]
    wording = f"“{p.text}”" + (f" (variant {p.variant_index})" if p.variant_index else "")
    return " · ".join([*where, wording])


def timeline_text(quote: str, response: pb.VerifyResponse) -> str:
    """The quote's verdict, its first appearance, then every printing earliest first."""
    verdict = VERDICT_NAMES.get(response.verdict, "UNSPECIFIED")
    lines = [f"{verdict}  confidence {response.confidence:.2f}  “{quote}”"]
    if response.verdict == pb.VERDICT_NOT_FOUND:
        lines.append(response.explanation)
        return "\n".join(lines)
    if response.HasField("first_appearance"):
        lines.append("First appearance: " + printing_line(response.first_appearance))
    else:
        lines.append("First appearance: unknown (no printing is dated)")
    lines.append(f"Timeline ({response.printing_count} printing(s), earliest first):")
    lines += [f"  {printing_line(p)}" for p in response.timeline]
    if response.timeline_omitted:
        lines.append(f"  … {response.timeline_omitted} more printing(s) not listed")
    if response.printings_outside_filter:
        lines.append(
            f"Outside the filter: {response.printings_outside_filter} printing(s) not shown"
        )
    return "\n".join(lines)


def speaker_text(response: pb.GetSpeakerResponse) -> str:
    s = response.speaker
    kind = pb.SpeakerKind.Name(s.kind).removeprefix("SPEAKER_KIND_").lower()
    lines = []
    if response.ambiguous:
        lines.append(
            f"ambiguous: the name may denote {len(response.candidates)} speakers — "
            + "; ".join(
                f"{c.name} ({c.speaker_id}, {c.occurrence_count} quotation(s))"
                for c in response.candidates
            )
        )
        lines.append("best supported:")
    lines += [
        f"{s.name} ({kind}) — {s.occurrence_count} quotation(s) in "
        f"{len(response.article_ids)} article(s)",
        "aliases: " + ", ".join(s.aliases),
    ]
    if response.forms:
        lines.append("forms: " + ", ".join(f"{f.form} ({f.quote_count})" for f in response.forms))
    lines += [f"  {e}" for e in response.evidence]
    return "\n".join(lines)


def quote_line(q: pb.Quote) -> str:
    kind = pb.QuoteKind.Name(q.kind).removeprefix("QUOTE_KIND_").lower()
    who = q.speaker or "—"
    return f"[{q.start}:{q.end}] {kind:<12} {who:<22} “{q.text}”"


def stats_text(s: pb.GetStatsResponse) -> str:
    return (
        f"{s.article_count} articles, {s.quote_count} quotes, {s.speaker_count} speakers, "
        f"{s.utterance_count} utterances, {s.outlet_count} outlets "
        f"(server {s.server_version}; processors {','.join(s.nlp_processors) or '-'})"
    )


INGEST_STATUS_NAMES = {
    pb.INGEST_STATUS_ADDED: "added",
    pb.INGEST_STATUS_UNCHANGED: "unchanged",
    pb.INGEST_STATUS_REPLACED: "replaced",
    pb.INGEST_STATUS_REJECTED: "rejected",
}
ORIGIN_NAMES = {
    pb.METADATA_ORIGIN_ARTICLE_TEXT: "the text",
    pb.METADATA_ORIGIN_HTML_METADATA: "the page's metadata",
    pb.METADATA_ORIGIN_HTMLDATE: "htmldate",
    pb.METADATA_ORIGIN_WARC_RECORD: "the WARC record",
}


def ingest_item_line(result: pb.IngestItemResult, source: str) -> str:
    """One article's result: status, id, quotations, and the input it came from."""
    status = INGEST_STATUS_NAMES.get(result.status, "?")
    quotes = f"{result.quotes_added} quotes"
    if result.quotes_removed:
        quotes += f", {result.quotes_removed} removed"
    return f"{status:<9} {result.article_id}  {source} ({quotes})"


def ingest_summary(summary: pb.IngestArticlesResponse, not_ingested: int) -> str:
    """Counts that add up: received = added + unchanged + replaced + rejected by the
    server; `not_ingested` adds the inputs never sent (unreadable)."""
    replaced = summary.articles_replaced
    return (
        f"{summary.articles_received} received, {summary.articles_added} added, "
        f"{summary.articles_unchanged} unchanged, "
        + (f"{replaced} replaced, " if replaced else "")
        + f"{summary.quotes_added} quotes added"
        + (f", {not_ingested} not ingested" if not_ingested else "")
    )


def article_line(info: pb.ArticleInfo) -> str:
    """One article in a list: id, date, outlet, title, counts."""
    return (
        f"{info.article_id}  {info.date or '----------'}  {info.outlet or '(no outlet)'}  "
        f"{info.title or info.source_name or info.url or '(untitled)'}  "
        f"[{info.quote_count} quotes]"
    )


def article_text(info: pb.ArticleInfo) -> str:
    """An article's metadata, one field a line; a derived value says where it came from."""
    origins = {d.field: ORIGIN_NAMES.get(d.origin, "?") for d in info.derived}

    def field(label: str, name: str, value: str) -> str:
        shown = value or "(not stated)"
        if name in origins and value:
            shown += f"  [derived from {origins[name]}]"
        return f"{label:<13}{shown}"

    lines = [
        f"article      {info.article_id}",
        field("title", "title", info.title),
        field("outlet", "outlet", info.outlet),
        field("wire credits", "wire_credits", ", ".join(info.wire_credits)),
        field("byline", "byline", info.byline),
        field("date", "date", info.date),
        field("url", "url", info.url),
        f"{'source':<13}{info.source_name or '-'}",
        f"{'identity':<13}{info.identity}",
        f"{'counts':<13}{info.quote_count} quotations, {info.speaker_count} speakers, "
        f"{info.char_count} characters",
    ]
    return "\n".join(lines)
