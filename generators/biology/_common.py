"""Shared pieces of the biology generators: answer-format phrases and sequence display."""

from __future__ import annotations

FORMATS = {
    "dna": {
        "en": "a DNA sequence written 5' to 3' in capital letters (spaces are ignored)",
        "zh": "按 5' 到 3' 方向、用大写字母写出的 DNA 序列（空格忽略）",
    },
    "protein": {
        "en": "a protein sequence in one-letter codes, without a trailing stop symbol",
        "zh": "用单字母代码表示的蛋白质序列，末尾不写终止符号",
    },
    "one_letter": {"en": "one one-letter code", "zh": "一个单字母代码"},
    "amino_letter": {"en": "one amino-acid one-letter code, or * for a stop codon", "zh": "一个氨基酸单字母代码，终止密码子写 *"},
    "codon_set": {"en": "all codons, comma-separated, like GCT, GCC", "zh": "列出全部密码子，用逗号分隔，如 GCT, GCC"},
    "integer": {"en": "a single integer", "zh": "一个整数"},
    "fragments": {
        "en": "all fragment lengths in bp, listed with multiplicity, like {120, 45, 45}",
        "zh": "按重数列出所有片段长度（bp），如 {120, 45, 45}",
    },
    "percent": {"en": "a number in percent, rounded to one decimal place", "zh": "百分数数值，保留一位小数"},
    "celsius": {"en": "a number in °C", "zh": "以 °C 为单位的数值"},
    "dalton": {"en": "a number in daltons rounded to two decimal places", "zh": "以道尔顿为单位、保留两位小数的数值"},
    "ph": {"en": "a pH value rounded to two decimal places", "zh": "pH 值，保留两位小数"},
    "mutation": {
        "en": "silent, nonsense, or missense followed by the new amino acid's one-letter code, as in 'missense <letter>'",
        "zh": "silent（同义）、nonsense（无义）或 missense（错义）后接新氨基酸的单字母代码，写作 'missense <字母>'",
    },
    "primer_pair": {"en": "two primers written 5' to 3', forward first, like FORWARD, REVERSE", "zh": "两条 5' 到 3' 方向的引物，先写正向引物，如 FORWARD, REVERSE"},
}


def fmt(key: str, lang: str) -> str:
    return FORMATS[key][lang]


def grouped(seq: str, size: int = 10) -> str:
    """Sequence in blocks of ten: easier to count, and the grader ignores spaces anyway."""
    return " ".join(seq[i : i + size] for i in range(0, len(seq), size))
