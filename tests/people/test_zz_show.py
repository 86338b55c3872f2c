import sys
sys.path.insert(0, "tests/people")
from test_import import *  # noqa

def test_show(cast):
    for name, (build, filename, expected) in BROKEN.items():
        with translation.override("en"):
            result = run(cast, build(), filename)
        print("\n##", name, expected)
        for p in result.problems:
            print("   ", p)
