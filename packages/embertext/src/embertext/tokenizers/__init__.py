"""Tokenizers: torchtext's ``get_tokenizer``, regex and character tokenizers, byte-level BPE
(Hugging Face ``tokenizer.json`` and GPT-2 files) and BERT WordPiece."""

from __future__ import annotations

from embertext.tokenizers._encoding import Encoding
from embertext.tokenizers.basic import CharTokenizer, RegexTokenizer, basic_english, get_tokenizer
from embertext.tokenizers.bpe import ByteLevelBPETokenizer
from embertext.tokenizers.wordpiece import WordPieceTokenizer

__all__ = [
    "get_tokenizer",
    "basic_english",
    "RegexTokenizer",
    "CharTokenizer",
    "ByteLevelBPETokenizer",
    "WordPieceTokenizer",
    "Encoding",
]
