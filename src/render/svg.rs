//! The timeline picture of a release.
