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

/// Days between two releases of one release line.
const RELEASE_EVERY_DAYS: i64 = 28;

/// No synthetic date falls before this one: plans write dates as four-digit years.
pub const EARLIEST: Date = jiff::civil::date(1900, 1, 1);

/// The version of the `r`-th release: twenty minor versions per major, so every release has
/// its own, in order.
pub fn version(r: usize) -> String {
    format!("{}.{}.0", 1 + r / 20, r % 20)
}

/// When each release is: every four weeks, the newest a few weeks after `today`. When that
/// would reach back before `earliest`, releases share the four-week slots (parallel release
/// lines), so any number of releases keeps every date of every plan valid.
#[derive(Debug, Clone, Copy)]
pub struct Spread {
    first_release: Date,
    per_slot: usize,
}

impl Spread {
    pub fn new(size: Size, today: Date, earliest: Date) -> Spread {
        // The earliest date of a release's plan: its first Scrum of Scrums, three weeks
        // before the deadlines announcement's first candidate.
        let lead = 7 * size.candidates as i64 + 2 + 21;
        let newest = add_days(today, RELEASE_EVERY_DAYS * 2);
        let room = i64::from((newest - earliest).get_days()) - lead;
        let slots = (room / RELEASE_EVERY_DAYS + 1).max(1) as usize;
        let per_slot = size.releases.div_ceil(slots).max(1);
        let used = size.releases.div_ceil(per_slot) as i64;
        Spread {
            first_release: add_days(newest, -RELEASE_EVERY_DAYS * (used - 1)),
            per_slot,
        }
    }

    /// The release date of the `r`-th release.
    pub fn release(&self, r: usize) -> Date {
        add_days(
            self.first_release,
            RELEASE_EVERY_DAYS * (r / self.per_slot) as i64,
        )
    }
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

    let mut tests = String::from(if size.tests == 0 {
        "tests: []\n"
    } else {
        "tests:\n"
    });
    for i in 0..size.tests {
        let team = rng.below(size.teams);
        let _ = writeln!(
            tests,
            "  - id: test-{i}\n    title: Manual test {i} of team {team}\n    team: team-{team}\n    area: area-{team}a\n    issue: https://github.com/example/product/issues/{i}\n    steps: |\n      1. Prepare the **fixture** for case {i}.\n      2. Run the scenario and watch the *logs*.\n      3. Compare with the previous release.\n    expected: The scenario finishes without errors and the numbers match.\n    blocking: {}",
            i % 10 == 0
        );
    }
    files.push(("manual-tests.yaml".to_owned(), tests));

    let spread = Spread::new(size, today, EARLIEST);
    for r in 0..size.releases {
        let release = spread.release(r);
        let version = version(r);
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
        if size.tests == 0 {
            let _ = writeln!(text, "manual_tests:\n  skip: []\n  results: {{}}");
        } else {
            let _ = writeln!(
                text,
                "manual_tests:\n  skip: [test-{}]\n  results:",
                r % size.tests
            );
        }
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

    /// Writes the plans of `size` and checks them: no error (results missing on past
    /// candidates are warned about, as in a real release).
    fn assert_passes_check(size: Size, today: Date) -> crate::Checked {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), size, today).unwrap();
        let checked = crate::check(dir.path(), today, false).unwrap();
        let problems: Vec<String> = checked
            .diags
            .items()
            .iter()
            .map(|d| format!("{}:{}: {}", d.file.display(), d.loc.line, d.message))
            .collect();
        assert!(!checked.diags.has_errors(), "{problems:#?}");
        assert_eq!(checked.plans.releases.len(), size.releases);
        assert_eq!(checked.plans.tests.len(), size.tests);
        checked
    }

    #[test]
    fn generated_plans_pass_check() {
        let size = Size {
            releases: 6,
            teams: 4,
            tests: 12,
            candidates: 3,
        };
        assert_passes_check(size, date(2026, 11, 26));
    }

    #[test]
    fn plans_without_tests_or_with_one_team_pass_check() {
        for (teams, tests) in [(2, 0), (1, 3)] {
            let size = Size {
                releases: 3,
                teams,
                tests,
                candidates: 1,
            };
            assert_passes_check(size, date(2026, 11, 26));
        }
    }

    /// `synth --releases 100000` once reached back to the year -4109, and every date failed
    /// `check`. Beyond what fits since 1900, releases share their four-week slots.
    #[test]
    fn any_number_of_releases_keeps_dates_valid_and_versions_unique() {
        let today = date(2026, 11, 26);
        let size = Size {
            releases: 100_000,
            teams: 1,
            tests: 0,
            candidates: 4,
        };
        let spread = Spread::new(size, today, EARLIEST);
        let lead = 7 * 4 + 2 + 21;
        assert!(add_days(spread.release(0), -lead) >= EARLIEST);
        assert_eq!(spread.release(size.releases - 1), add_days(today, 56));
        let mut versions = std::collections::BTreeSet::new();
        let mut previous = Date::MIN;
        for r in 0..size.releases {
            let release = spread.release(r);
            assert!(release >= previous, "release {r} on {release}");
            previous = release;
            let v = version(r);
            assert!(semver::Version::parse(&v).is_ok(), "{v}");
            assert!(versions.insert(v.clone()), "{v} twice");
        }
        assert_eq!(version(99_999), "5000.19.0");
        // Sizes that fit keep one release per slot, four weeks apart, as before.
        let small = Spread::new(Size::LARGE, today, EARLIEST);
        assert_eq!(small.release(0), add_days(today, 84 - 28 * 200));
        assert_eq!(small.release(1), add_days(today, 84 - 28 * 199));
    }

    /// Releases sharing slots pass `check`: with `today` early in 1902 only a few slots fit
    /// after 1900, so 40 releases share them.
    #[test]
    fn releases_sharing_their_dates_pass_check() {
        let today = date(1902, 3, 1);
        let size = Size {
            releases: 40,
            teams: 3,
            tests: 4,
            candidates: 2,
        };
        let spread = Spread::new(size, today, EARLIEST);
        assert_eq!(spread.release(0), spread.release(1));
        let checked = assert_passes_check(size, today);
        let earliest = checked
            .plans
            .releases
            .iter()
            .map(|r| r.schedule.release.value)
            .min()
            .unwrap();
        assert!(earliest >= EARLIEST, "{earliest}");
    }
}
