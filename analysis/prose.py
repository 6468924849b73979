"""Numbers in words for the study's prose: shares, intervals, scores, p-values, counts and lists. Plain Python (no
pandas, no matplotlib), so the command line and the loader can word their lines without loading the findings."""
from __future__ import annotations


def percent(share: float) -> str:
    """A share (0–1) as a whole percentage, e.g. '37%'."""
    return f"{100 * share:.0f}%"


def interval(low: float, high: float, *, as_percent: bool = True) -> str:
    """A 95% interval in words: '16–58%' for shares or '−0.29 to 0.14' for scores."""
    if as_percent:
        return f"95% CI {100 * low:.0f}–{100 * high:.0f}%"
    return f"95% CI {signed(low)} to {signed(high)}"


def signed(value: float) -> str:
    """A score with two decimals and a true minus sign, e.g. '−0.19' or '+0.02'; '0.00' for a value that rounds
    to zero (never '−0.00')."""
    text = f"{value:+.2f}"
    return "0.00" if float(text) == 0 else text.replace("-", "−")


def p_text(name: str, value: float) -> str:
    """A p- or q-value in words, three decimals, never '0.000': 'p = 0.031', 'p < 0.001'."""
    return f"{name} < 0.001" if value < 0.0005 else f"{name} = {value:.3f}"


def listing(parts: list[str]) -> str:
    """Parts joined as English prose: 'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def plural(n: int, word: str) -> str:
    """'1 sentence', '3 sentences', '1,200 sentences'."""
    return f"{n:,} {word}{'s' * (n != 1)}"


def capitalized(text: str) -> str:
    """`text` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def possessive(name: str) -> str:
    """`name` in the possessive: 'China's', 'Qin Gang's'; a name ending in s takes the apostrophe alone ('the
    United States'', 'United Nations'')."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
