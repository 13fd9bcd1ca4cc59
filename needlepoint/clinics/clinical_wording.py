"""The clinical engine's messages in words, in the reader's language.

The engine (``needlepoint.clinical``) returns message codes and language-neutral values
(dates, numbers, zone, indication and contraindication keys); this module words them with
gettext in the active language, dates with Babel's long format and lists with Babel's list
patterns. The human texts of rules.toml (zone names, questions, explanations...) are
English message ids of the ``clinical`` catalogue, translated with the context
``"clinical rules"`` (:func:`rule_text`).

    clinical_text(reason)          # a Reason, a stored reason (dict), a Message, a Refusal,
                                   # a DepthCheck, a StartCheck, an AdverseEventSuggestion,
                                   # a SuggestedDepth, a Duration or a ClinicalError
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from needlepoint.clinical import (
    AdverseEventSuggestion,
    ClinicalError,
    DepthCheck,
    Duration,
    MissingAnswers,
    Reason,
    Refusal,
    Rules,
    StartCheck,
    SuggestedDepth,
    default_rules,
    parse_duration,
)
from needlepoint.clinical.screening import reason_from_json
from needlepoint.clinical.wording import Message
from needlepoint.core.languages import long_date, reader_locale, word_list

RULES_CONTEXT = "clinical rules"


# --- the reader's language ---------------------------------------------------------------


def number(value: float) -> str:
    """A depth or other measure: 1.5 / 1,5; whole numbers without decimals."""
    return format_decimal(value, format="#,##0.##", locale=reader_locale())


def in_sentence(name: str) -> str:
    """A name inside a sentence: lower case, except in German where nouns keep capitals."""
    return name if translation.get_language() == "de" else name.lower()


def rule_text(text: str) -> str:
    """A human text of rules.toml (a name, question, explanation...) in the reader's language."""
    return pgettext(RULES_CONTEXT, text) if text else text


def _rules(rules: Rules | None) -> Rules:
    return rules or default_rules()


def zone_name(key: str, rules: Rules | None = None) -> str:
    """A zone's or area's name, translated; the key itself when unknown."""
    rules = _rules(rules)
    found = rules.zones.get(key) or rules.areas.get(key)
    return rule_text(found.name) if found else key


def indication_name(key: str, rules: Rules | None = None) -> str:
    found = _rules(rules).indications.get(key)
    return rule_text(found.name) if found else key


def rule_name(key: str, rules: Rules | None = None) -> str:
    """The translated name of a contraindication or adverse event; "" for other keys."""
    rules = _rules(rules)
    found = rules.contraindications.get(key) or rules.adverse_events.get(key)
    return rule_text(found.name) if found is not None else ""


def duration_words(duration: Duration | str) -> str:
    """ "6 months", "2 weeks", "1 year and 3 days" (P6M, P14D, P1Y3D)."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    units = {
        "year": lambda n: ngettext("%(count)s year", "%(count)s years", n),
        "month": lambda n: ngettext("%(count)s month", "%(count)s months", n),
        "week": lambda n: ngettext("%(count)s week", "%(count)s weeks", n),
        "day": lambda n: ngettext("%(count)s day", "%(count)s days", n),
    }
    parts = [units[unit](count) % {"count": count} for unit, count in duration.parts()]
    return word_list(parts) or ngettext("%(count)s day", "%(count)s days", 0) % {"count": 0}


# --- reasons -----------------------------------------------------------------------------


def _whom(whom: object, zones: Iterable[str], rules: Rules) -> str:
    if whom == "face":
        return pgettext("whom", "your face")
    if whom == "areas":
        return pgettext("whom", "the affected areas")
    if whom == "zones":
        names = word_list([in_sentence(zone_name(zone, rules)) for zone in zones])
        return pgettext("whom", "your %(zones)s") % {"zones": names}
    return pgettext("whom", "you")


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def reason_text(reason: Reason | Mapping[str, Any], rules: Rules | None = None) -> str:
    """A reason in words. A stored reason (a dict) without a code keeps its stored text."""
    if not isinstance(reason, Reason):
        found = reason_from_json(reason)
        if found is None:
            return str(reason.get("message", ""))
        reason = found
    rules = _rules(rules)
    p = reason.params
    code = reason.code
    ci = rules.contraindications.get(reason.key)
    if code == "ci.explanation":
        return rule_text(ci.explanation) if ci else reason.key
    if code == "ci.wait" and ci is not None and reason.until is not None:
        values = {
            "whom": _whom(p.get("whom"), reason.zones, rules),
            "day": long_date(reason.until),
            "wait": duration_words(str(p.get("wait"))),
            "after": rule_text(ci.after),
        }
        if p.get("signoff"):
            return (
                _(
                    "We can treat %(whom)s from %(day)s, %(wait)s after %(after)s. "
                    "A clinician will also need to clear you."
                )
                % values
            )
        return _("We can treat %(whom)s from %(day)s, %(wait)s after %(after)s.") % values
    if code == "ci.ongoing" and ci is not None:
        values = {
            "ongoing": rule_text(ci.while_ongoing),
            "whom": _whom(p.get("whom"), reason.zones, rules),
        }
        if p.get("wait"):
            values |= {"wait": duration_words(str(p.get("wait"))), "after": rule_text(ci.after)}
            return (
                _(
                    "While %(ongoing)s we can't treat %(whom)s: we can treat %(whom)s %(wait)s "
                    "after %(after)s. When you stop, tell us that date and we will tell you "
                    "when we can."
                )
                % values
            )
        return (
            _(
                "While %(ongoing)s we can't treat %(whom)s. When you stop, tell us that date "
                "and we will tell you when we can."
            )
            % values
        )
    if code in ("review.cleared", "review.conditions", "review.declined"):
        values = {
            "by": str(p.get("by")),
            "day": long_date(_date(p.get("on"))),
            "note": str(p.get("note")),
        }
        if code == "review.conditions":
            return _("Cleared by %(by)s on %(day)s on these conditions: %(note)s") % values
        if code == "review.declined":
            return _("Declined by %(by)s on %(day)s: %(note)s") % values
        return _("Reviewed by %(by)s on %(day)s: %(note)s") % values
    if code == "fitzpatrick.unrecorded":
        return _("Your skin type has not been recorded yet, so we will treat conservatively.")
    if code == "interval" and reason.until is not None:
        return _(
            "%(zones)s treated on %(day)s: earliest allowed %(until)s (%(days)s days, %(rule)s)."
        ) % {
            "zones": word_list([zone_name(zone, rules) for zone in reason.zones]),
            "day": long_date(_date(p.get("treated_on"))),
            "until": reason.until.isoformat(),
            "days": p.get("days"),
            "rule": reason.key,
        }
    if code == "ae.open":
        return _(
            "Open adverse event: %(event)s (G%(grade)s) since %(day)s; the zone must heal and "
            "the event be resolved first."
        ) % {
            "event": rule_name(str(p.get("event")), rules),
            "grade": p.get("grade"),
            "day": long_date(_date(p.get("since"))),
        }
    if code == "course.complete":
        return _(
            "course complete: a new course needs a clinician's plan (%(done)s of "
            "%(course_max)s sessions of %(indication)s done)."
        ) % {
            "done": p.get("done"),
            "course_max": p.get("course_max"),
            "indication": in_sentence(indication_name(str(p.get("indication")), rules)),
        }
    if code == "course.maintenance" and reason.until is not None:
        per_year = int(str(p.get("per_year")))
        return ngettext(
            "Course of %(course_max)s complete; maintenance is up to %(per_year)s session in "
            "any 12 months: the next can be from %(day)s.",
            "Course of %(course_max)s complete; maintenance is up to %(per_year)s sessions in "
            "any 12 months: the next can be from %(day)s.",
            per_year,
        ) % {
            "course_max": p.get("course_max"),
            "per_year": per_year,
            "day": long_date(reason.until),
        }
    return reason.code


def reasons_text(reasons: Iterable[Reason | Mapping[str, Any]], rules: Rules | None = None) -> str:
    """Several reasons, one after the other."""
    return " ".join(reason_text(reason, rules) for reason in reasons)


# --- messages (refusals of a date, course limits counting bookings) ------------------------


def message_text(message: Message, rules: Rules | None = None) -> str:
    p = message.params
    code = message.code
    if code == "refusal.blocked":
        return _("Blocked: %(reasons)s") % {"reasons": reasons_text(_reasons(p), rules)}
    if code == "refusal.too_early":
        return _("Too early: earliest allowed %(day)s.") % {
            "day": _date(p.get("earliest")).isoformat()
        }
    if code == "refusal.review_required":
        return _("Clinician review required: %(reasons)s") % {
            "reasons": reasons_text(_reasons(p), rules)
        }
    if code == "refusal.review_expires":
        return _("Clinician review required: a review this relies on expires on %(day)s.") % {
            "day": long_date(_date(p.get("expires_on")))
        }
    if code == "course.complete_booked":
        return ngettext(
            "Course complete: %(counted)s done or booked of a course of %(course_max)s; a new "
            "course needs a clinician's plan.",
            "Course complete: %(counted)s done or booked of a course of %(course_max)s; a new "
            "course needs a clinician's plan.",
            int(str(p.get("counted"))),
        ) % {"counted": p.get("counted"), "course_max": p.get("course_max")}
    if code == "course.maintenance_booked":
        per_year = int(str(p.get("per_year")))
        return ngettext(
            "Course of %(course_max)s complete (%(counted)s done or booked); maintenance is up "
            "to %(per_year)s session in any 12 months, and the 12 months from %(day)s would "
            "hold %(busiest)s.",
            "Course of %(course_max)s complete (%(counted)s done or booked); maintenance is up "
            "to %(per_year)s sessions in any 12 months, and the 12 months from %(day)s would "
            "hold %(busiest)s.",
            per_year,
        ) % {
            "course_max": p.get("course_max"),
            "counted": p.get("counted"),
            "per_year": per_year,
            "day": long_date(_date(p.get("start"))),
            "busiest": p.get("busiest"),
        }
    return code


def _reasons(params: Mapping[str, object]) -> list[Reason]:
    found = params.get("reasons")
    return [r for r in found if isinstance(r, Reason)] if isinstance(found, Iterable) else []


# --- chart checks ----------------------------------------------------------------------


def material_name(key: str, rules: Rules | None = None) -> str:
    found = _rules(rules).materials.get(key)
    return rule_text(found) if found else key


def refusal_text(refusal: Refusal, rules: Rules | None = None) -> str:
    """Why a scanned cartridge cannot be used."""
    p = refusal.params
    if refusal.key == "material.allergy":
        allowed = p.get("allowed")
        names = [
            in_sentence(material_name(str(m), rules))
            for m in (allowed if isinstance(allowed, Iterable) else ())
        ]
        return _("%(material)s needles are ruled out by an allergy: use %(allowed)s.") % {
            "material": material_name(str(p.get("material")), rules),
            "allowed": ", ".join(names) or _("none on file"),
        }
    if refusal.key == "cartridge.expired":
        return _("This lot expired on %(day)s.") % {"day": _date(p.get("expired_on")).isoformat()}
    if refusal.key == "cartridge.used":
        return _("Cartridge %(serial)s has already been used.") % {"serial": p.get("serial")}
    return refusal.key


def usual_depth_text(usual: SuggestedDepth) -> str:
    """E.g. "0.5 to 1.5 mm", "0.5 to 1 mm (the zone's limit)", "up to 1 mm (...)"."""
    values = {"high": number(usual.high_mm)}
    if usual.low_mm is None:
        if usual.clipped:
            return _("up to %(high)s mm (the zone's limit)") % values
        return _("up to %(high)s mm") % values
    values["low"] = number(usual.low_mm)
    if usual.clipped:
        return _("%(low)s to %(high)s mm (the zone's limit)") % values
    return _("%(low)s to %(high)s mm") % values


def depth_text(check: DepthCheck, rules: Rules | None = None) -> str:
    """A depth check in words (the chart shows it beside the depth)."""
    rules = _rules(rules)
    zone = rules.zones.get(check.zone)
    values = {
        "depth": number(check.depth_mm),
        "cap": number(check.cap_mm),
        "zone": in_sentence(zone_name(check.zone, rules)),
    }
    if check.code == "depth.clinician_only":
        return _("Only a clinician may treat the %(zone)s (cap %(cap)s mm).") % values
    if check.code == "depth.too_deep":
        return _("%(depth)s mm is too deep for the %(zone)s: cap %(cap)s mm.") % values
    if check.code == "depth.warn_above":
        note = rule_text(zone.warn_note) if zone else ""
        return _("%(depth)s mm on the %(zone)s: %(note)s.") % (values | {"note": note})
    if check.code == "depth.outside_usual" and check.usual is not None:
        values |= {
            "usual": usual_depth_text(check.usual),
            "indication": in_sentence(indication_name(check.indication, rules)),
        }
        if check.usual.clipped:
            return (
                _("%(depth)s mm is outside the usual %(usual)s for %(indication)s on the %(zone)s.")
                % values
            )
        return (
            _(
                "%(depth)s mm is outside the usual %(usual)s for %(indication)s on the "
                "%(zone)s (cap %(cap)s mm)."
            )
            % values
        )
    return _("%(depth)s mm is within range for the %(zone)s.") % values


STEP_NAMES = {
    "consent": lambda: _("consent"),
    "photos": lambda: _("photos"),
    "cleanse": lambda: _("cleanse"),
    "anaesthetic_applied": lambda: _("anaesthetic applied"),
    "anaesthetic_removed": lambda: _("anaesthetic removed"),
    "antisepsis": lambda: _("antisepsis"),
}


def start_text(check: StartCheck) -> str:
    """Whether needling may start, in words."""
    if check.code == "start.missing":
        steps = [STEP_NAMES[step]() if step in STEP_NAMES else step for step in check.missing]
        return _("Log %(steps)s before needling.") % {"steps": word_list(steps)}
    if check.code == "start.antisepsis_again":
        return _(
            "Antisepsis must follow anaesthetic removal: log antisepsis again before needling."
        )
    return _("Ready to start needling.")


def suggestion_text(suggestion: AdverseEventSuggestion, rules: Rules | None = None) -> str:
    """The adverse event staff should record, in words."""
    name = rule_name(suggestion.key, rules)
    if suggestion.code == "ae.record":
        return _("Record %(event)s.") % {"event": in_sentence(name)}
    return _(
        "%(event)s on day %(days)s, beyond the expected %(window)s days: record %(key)s at "
        "G%(grade)s."
    ) % {
        "event": name,
        "days": suggestion.days,
        "window": suggestion.window,
        "key": suggestion.key,
        "grade": suggestion.grade,
    }


# --- errors ------------------------------------------------------------------------------


def error_text(error: ClinicalError) -> str:
    """A clinical error for the reader: what is wrong, in their language.

    The error's own English `message` stays the operators' detail (logs, the API's
    ``detail``); the reader is told by `code`.
    """
    if isinstance(error, MissingAnswers):
        return _("Please answer every screening question: %(keys)s.") % {
            "keys": ", ".join(error.keys)
        }
    texts = {
        "invalid_rules": lambda: _("The clinical rules cannot be read: %(detail)s"),
        "invalid_override": lambda: _("This rule cannot take that value: %(detail)s"),
        "invalid_duration": lambda: _(
            "A wait is written like P14D (14 days), P2W, P6M or P1Y: %(detail)s"
        ),
        "unknown_key": lambda: _("Unknown clinical rule: %(detail)s"),
        "unknown_zone": lambda: _("Unknown zone or area: %(detail)s"),
        "unknown_indication": lambda: _("Unknown indication: %(detail)s"),
        "unknown_contraindication": lambda: _("Unknown screening question: %(detail)s"),
        "invalid_answer": lambda: _("An answer to the health questions is not valid: %(detail)s"),
        "invalid_review": lambda: _("The clinical review is not complete: %(detail)s"),
        "invalid_depth": lambda: _("A depth must be above 0 mm and at most 5 mm: %(detail)s"),
        "dates_out_of_order": lambda: _("These dates cannot all be true: %(detail)s"),
        "invalid_value": lambda: _("A value is not valid: %(detail)s"),
    }
    found = texts.get(error.code)
    if found is None or translation.get_language() in (None, "en-gb", "en"):
        return error.message
    return found() % {"detail": error.message}


# --- one entry for templates and callers --------------------------------------------------


def clinical_text(thing: object, rules: Rules | None = None) -> str:
    """Any message of the clinical engine in words (see the module's docstring)."""
    if isinstance(thing, Reason | Mapping):
        return reason_text(thing, rules)
    if isinstance(thing, Message):
        return message_text(thing, rules)
    if isinstance(thing, Refusal):
        return refusal_text(thing, rules)
    if isinstance(thing, DepthCheck):
        return depth_text(thing, rules)
    if isinstance(thing, StartCheck):
        return start_text(thing)
    if isinstance(thing, AdverseEventSuggestion):
        return suggestion_text(thing, rules)
    if isinstance(thing, SuggestedDepth):
        return usual_depth_text(thing)
    if isinstance(thing, Duration):
        return duration_words(thing)
    if isinstance(thing, ClinicalError):
        return error_text(thing)
    return "" if thing is None else str(thing)


# --- the human texts of rules.toml, for the `clinical` catalogue ---------------------------


def rules_texts(rules: Rules | None = None) -> list[str]:
    """Every human text of the rules file that Needlepoint shows someone: names of zones,
    areas, indications, contraindications, adverse events, depth bands and materials;
    questions, date questions, "still taking it" answers, explanations, the words after
    "after" and "while", kinds (variants) and depth warnings. The notes for clinicians and
    the descriptive result texts are not shown, so not translated."""
    rules = _rules(rules)
    found: list[str] = []
    for zone in rules.zones.values():
        found += [zone.name, zone.warn_note]
    found += [area.name for area in rules.areas.values()]
    found += [indication.name for indication in rules.indications.values()]
    for ci in rules.contraindications.values():
        found += [ci.name, ci.explanation, ci.question or "", ci.date_question or ""]
        found += [ci.after, ci.while_ongoing, ci.ongoing or ""]
        found += [variant.label for variant in ci.variants.values()]
    found += [event.name for event in rules.adverse_events.values()]
    found += [band.name for band in rules.depth_bands.values()]
    found += list(rules.materials.values())
    return list(dict.fromkeys(text for text in found if text))


def rules_messages() -> list[tuple[str, str | None]]:
    """The extractor's hook (core.translations.EXTRA_SOURCES["clinical"])."""
    return [(text, RULES_CONTEXT) for text in rules_texts()]
