//! Calendar arithmetic, once: the civil (proleptic Gregorian) date of a day count, for the clock
//! (`remote::now_xsd`) and the synthetic graphs (`generate::day_to_date`).

/// Year, month and day of the day `days` counted from 1970-01-01 (day 0); Howard Hinnant's
/// `civil_from_days`.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2000-02-29, a leap day of a century divisible by 400: 11,016 days after 1970-01-01.
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 1990-01-01, day 0 of the generator: 7,305 days after 1970-01-01.
        assert_eq!(civil_from_days(7_305), (1990, 1, 1));
    }
}
