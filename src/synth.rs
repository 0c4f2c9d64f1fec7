//! Synthetic but valid plans folders of any size, for benchmarks and scale tests.
//! Deterministic: the same sizes give the same files.

use std::fmt::Write as _;
use std::path::Path;

use jiff::Span;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub releases: usize,
    pub teams: usize,
    pub tests: usize,
    pub candidates: usize,
}

impl Size {
    pub const MEDIUM: Size = Size {
        releases: 50,
        teams: 20,
        tests: 300,
        candidates: 3,
    };
    pub const LARGE: Size = Size {
        releases: 200,
        teams: 50,
        tests: 1000,
        candidates: 4,
    };
}

/// A small linear congruential generator: reproducible spread without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "UTC",
    "Europe/Warsaw",
];
/// Per hundred results: as in a healthy release, mostly passes; 2 failed, 1 blocked,
/// 2 skipped, and 5 tests with no result yet.
const STATUS_WEIGHTS: &[(&str, usize)] = &[
    ("passed", 90),
    ("failed", 2),
    ("blocked", 1),
    ("skipped", 2),
    ("", 5),
];

fn pick_status(rng: &mut Lcg) -> &'static str {
    let mut n = rng.below(100);
    for (status, weight) in STATUS_WEIGHTS {
        if n < *weight {
            return status;
        }
        n -= weight;
    }
    ""
}

fn add_days(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days))
        .expect("synthetic dates stay in range")
}

/// The files of a plans folder: (file name, text).
pub fn generate(size: Size, today: Date) -> Vec<(String, String)> {
    let mut rng = Lcg(0x5eed);
    let mut files = Vec::new();

    let mut teams = String::from("teams:\n");
    for t in 0..size.teams {
        let _ = writeln!(
            teams,
            "  - id: team-{t}\n    name: Team {t}\n    areas: [area-{t}a, area-{t}b]\n    slack_channel: \"#team-{t}\"\n    slack_group: S{t:08}\n    scrum_master: {{ name: Scrum Master {t}, github: sm-{t}, slack: U{t:08} }}"
        );
    }
    files.push(("teams.yaml".to_owned(), teams));

    let mut tests = String::from("tests:\n");
    for i in 0..size.tests {
        let team = rng.below(size.teams);
        let _ = writeln!(
            tests,
            "  - id: test-{i}\n    title: Manual test {i} of team {team}\n    team: team-{team}\n    area: area-{team}a\n    issue: https://github.com/example/product/issues/{i}\n    steps: |\n      1. Prepare the **fixture** for case {i}.\n      2. Run the scenario and watch the *logs*.\n      3. Compare with the previous release.\n    expected: The scenario finishes without errors and the numbers match.\n    blocking: {}",
            i % 10 == 0
        );
    }
    files.push(("manual-tests.yaml".to_owned(), tests));

    // Releases every four weeks, the newest a few weeks after `today`.
    let first_release = add_days(today, 28 * 3 - 28 * size.releases as i64);
    for r in 0..size.releases {
        let release = add_days(first_release, 28 * r as i64);
        let version = format!("{}.{}.0", 1 + r / 20, r % 20);
        let zone = ZONES[r % ZONES.len()];
        let mut text = String::new();
        let _ = writeln!(
            text,
            "version: {version}\ncodename: Codename {r}\ntimezone: {zone}"
        );
        let _ = writeln!(
            text,
            "people:\n  release_manager: {{ name: Release Manager, github: release-manager }}\n  release_master: {{ name: Release Master {r}, github: rm-{r}, slack: U9{r:07}, team: team-{} }}\n  scrum_master: {{ name: Scrum Master {r}, team: team-{} }}",
            r % size.teams,
            (r + 1) % size.teams
        );
        let _ = writeln!(
            text,
            "channels:\n  internal: \"#product-team\"\n  community: \"#release\""
        );
        let rc1 = add_days(release, -(7 * size.candidates as i64) - 2);
        let _ = writeln!(
            text,
            "schedule:\n  deadlines_announcement: {}T10:00\n  freeze: {}T09:00\n  candidates:",
            add_days(rc1, -9),
            add_days(rc1, -2)
        );
        let candidate_dates: Vec<Date> = (0..size.candidates)
            .map(|c| add_days(rc1, 7 * c as i64))
            .collect();
        for (c, d) in candidate_dates.iter().enumerate() {
            let _ = writeln!(
                text,
                "    - name: rc{}\n      cherry_pick_deadline: {}T16:00\n      date: {d}",
                c + 1,
                add_days(*d, -1)
            );
        }
        let _ = writeln!(
            text,
            "  release: {release}\n  events:\n    - {{ title: Release notes due, date: {}, description: \"Each team adds its **highlights**.\" }}",
            add_days(release, -2)
        );
        let _ = writeln!(
            text,
            "scrum_of_scrums:\n  first: {}T10:00\n  every_weeks: 2\n  duration_minutes: 30",
            add_days(rc1, -21)
        );
        let _ = writeln!(
            text,
            "test_environment:\n  url: https://console.rc-{r}.example.com\n  access: \"Ask the **Release Master** for a kubeconfig.\"\n  ready: {rc1}"
        );
        let _ = writeln!(
            text,
            "manual_tests:\n  skip: [test-{}]\n  results:",
            r % size.tests.max(1)
        );
        for i in 0..size.tests {
            if i == r % size.tests.max(1) {
                continue;
            }
            let recorded: Vec<(usize, &str)> = candidate_dates
                .iter()
                .enumerate()
                .filter(|(_, d)| **d < today)
                .map(|(c, _)| (c, pick_status(&mut rng)))
                .filter(|(_, status)| !status.is_empty())
                .collect();
            if recorded.is_empty() {
                continue;
            }
            let _ = writeln!(text, "    test-{i}:");
            for (c, status) in recorded {
                // Testers sign what went wrong; passes are recorded briefly.
                if status == "passed" {
                    let _ = writeln!(text, "      rc{}: {{ status: passed }}", c + 1);
                } else {
                    let _ = writeln!(
                        text,
                        "      rc{}: {{ status: {status}, tester: tester-{} }}",
                        c + 1,
                        rng.below(40)
                    );
                }
            }
        }
        let _ = writeln!(text, "pull_requests:");
        for p in 0..3 {
            let a = rng.below(size.teams);
            let b = (a + 1 + rng.below(size.teams.max(2) - 1)) % size.teams;
            let approved = if p == 0 {
                format!("team-{a}")
            } else {
                String::new()
            };
            let _ = writeln!(
                text,
                "  - {{ url: \"https://github.com/example/product/pull/{}\", title: \"Release fix {p} for {version}\", teams: [team-{a}, team-{b}], approved_by: [{approved}] }}",
                r * 10 + p
            );
        }
        let _ = writeln!(text, "failing_tests:");
        for f in 0..2 {
            let _ = writeln!(
                text,
                "  - {{ name: pre-rel-{r}-job-{f}, team: team-{}, since: {}, link: \"https://ci.example.com/job/{r}-{f}\" }}",
                rng.below(size.teams),
                add_days(rc1, f)
            );
        }
        let _ = writeln!(
            text,
            "notes: |\n  Release {version} of the synthetic plans.\n\n  - Upgrade tests run on two clouds."
        );
        files.push((format!("{version}.yaml"), text));
    }
    files
}

/// Writes a generated plans folder.
pub fn write(dir: &Path, size: Size, today: Date) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in generate(size, today) {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn generated_plans_pass_check() {
        let dir = tempfile::tempdir().unwrap();
        let today = date(2026, 11, 26);
        let size = Size {
            releases: 6,
            teams: 4,
            tests: 12,
            candidates: 3,
        };
        write(dir.path(), size, today).unwrap();
        let checked = crate::check(dir.path(), today, false).unwrap();
        let problems: Vec<String> = checked
            .diags
            .items()
            .iter()
            .map(|d| format!("{}:{}: {}", d.file.display(), d.loc.line, d.message))
            .collect();
        assert!(!checked.diags.has_errors(), "{problems:#?}");
        assert_eq!(checked.plans.releases.len(), 6);
        assert_eq!(checked.plans.tests.len(), 12);
    }
}
