//! The people a net-new quote matched, with where they stood, and what a quote for everyone
//! notes of them.

use rusqlite::params;

use super::{Store, StoreResult};
use crate::library::Standing;

impl Store {
    /// Notes on unspent quote `id` that `held` of the people it buys are already in the library
    /// (the question of "get everyone again" says so).
    pub fn set_held_again(&self, id: i64, held: u64) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE quotes SET held_again = ?2 WHERE id = ?1 AND spent_at IS NULL",
            params![id, held],
        )?;
        Ok(())
    }

    /// Every person quote `id` matched, with where they stood, in match order (empty unless
    /// it was a net-new purchase).
    pub fn quote_people(&self, id: i64) -> StoreResult<Vec<(i64, Standing)>> {
        let connection = self.lock();
        let mut select = connection.prepare_cached(
            "SELECT person_id, standing FROM quote_people WHERE quote_id = ?1 ORDER BY position",
        )?;
        let people = select
            .query_map([id], |row| {
                let standing: String = row.get(1)?;
                Ok((
                    row.get(0)?,
                    Standing::parse(&standing).unwrap_or(Standing::New),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(people)
    }
}
