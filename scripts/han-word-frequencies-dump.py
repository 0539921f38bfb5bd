"""
Dumps wordfreq's Japanese and Chinese word frequencies for the Han-only words
of two or more characters, one "language<TAB>word<TAB>zipf" line each (Zipf:
log10 of uses per billion words), for src/lang/han-word-frequencies-generate.ts.

    pip install wordfreq==3.1.1
    python3 scripts/han-word-frequencies-dump.py | node dist/lang/han-word-frequencies-generate.js

(`npm run han-words` runs both.) The lists are read as stored, without
wordfreq's tokenizers (which would need MeCab): its Japanese list is words as
MeCab with IPADIC cuts them, its Chinese list words as jieba cuts them, in
Simplified forms.
"""
import math
import re
import sys
from importlib.metadata import version

import wordfreq

HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々]{2,}$")

print(f"wordfreq@{version('wordfreq')}")
for language in ("ja", "zh"):
    for word, frequency in wordfreq.get_frequency_dict(language, "large").items():
        if HAN_WORD.match(word):
            sys.stdout.write(f"{language}\t{word}\t{math.log10(frequency * 1e9):.2f}\n")
