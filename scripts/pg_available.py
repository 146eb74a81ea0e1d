"""Exit 0 when the PostgreSQL server named by the first argument answers, 1 otherwise."""

import sys

import psycopg


def main() -> int:
    try:
        with psycopg.connect(sys.argv[1], connect_timeout=3):
            return 0
    except psycopg.Error as exc:
        print(f"PostgreSQL not available: {exc}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
