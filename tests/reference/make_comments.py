"""Writes the held-out two-wave export with an open question for tests/suite/comments.rs
(tests/fixtures/comments/comments-2024.csv and -2025.csv). Seeded: rerunning rewrites the
same files. Comments mix accents, punctuation, phrases split by punctuation, near-miss words
(metadata, refunds, meet) and contact details (an email, a phone number, a web address, a
staff name) so matching and redaction are exercised."""
import csv
import pathlib
import random

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "comments"
LABELS = ["Never", "Rarely", "Sometimes", "Often", "Always"]
HEADER = ["Which team are you on?", "Meetings start on time.", "Agendas arrive early.",
          "I hear back within a week.", "Emails get answered.",
          "What is one thing the backbone could do better?"]
PIECES = {
    "data": ["The shared data dashboard is great", "Share more DATA with partners",
             "shared, data!", "the Dashboards need filters", "our database is a mess"],
    "meetings": ["Fewer meetings please", "Les réunions sont trop longues", "send the agenda earlier",
                 "Meetings run long"],
    "communication": ["Communicate decisions sooner", "the newsletter is too long",
                      "keep us  informed!", "better communication with funders"],
    "funding": ["Funding is unclear", "help us find grants", "fundraising support"],
    "voice": ["listen to residents", "Community-voices are missing", "bring community voice in"],
    "none": ["nothing comes to mind", "metadata everywhere", "refunds took ages", "we meet often",
             "Call Dana Whitfield at 617-555-0142", "write to dana.whitfield@example.org",
             "see https://backbone.example.org/plan", "More coffee at the café"],
}
WEIGHTS = {  # chance a comment of each wave draws a piece of each theme
    "2024": {"data": 0.15, "meetings": 0.35, "communication": 0.3, "funding": 0.2, "voice": 0.1, "none": 0.3},
    "2025": {"data": 0.55, "meetings": 0.15, "communication": 0.3, "funding": 0.2, "voice": 0.15, "none": 0.3},
}


def comment(rng, wave):
    parts = [rng.choice(PIECES[t]) for t, w in WEIGHTS[wave].items() if rng.random() < w]
    return "; ".join(parts)


def main():
    rng = random.Random(23)
    for wave, n in (("2024", 64), ("2025", 70)):
        rows = []
        for i in range(n):
            team = "East" if i % 20 == 7 else ("North" if rng.random() < 0.55 else "South")
            answers = [rng.choice(LABELS[1:]) for _ in range(4)]
            text = "" if rng.random() < 0.2 else comment(rng, wave)
            rows.append([team] + answers + [text])
        with open(OUT / f"comments-{wave}.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(rows)


if __name__ == "__main__":
    main()
