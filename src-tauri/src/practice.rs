//! Practice mode: the project's simulator of the service, running inside the app on loopback, with
//! its own data folder so that practice jobs survive a restart like real ones.

use std::path::Path;
use std::time::Duration;

use collect_core::secrets::ApiKey;
use collect_core::{ErrorCode, UserError};
use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

/// How long the simulated service takes to prepare files: long enough to see "processing".
const PROCESSING_TIME: Duration = Duration::from_secs(4);

/// The running simulator.
pub struct Practice {
    simulator: Simulator,
}

impl Practice {
    /// Starts the simulator on 127.0.0.1 with its files under `<data_dir>/practice`.
    pub async fn start(data_dir: &Path) -> Result<Self, UserError> {
        let config = SimConfig {
            data_dir: Some(data_dir.join("practice")),
            processing_time: PROCESSING_TIME,
            ..SimConfig::default()
        };
        let simulator = Simulator::start(config).await.map_err(|error| {
            UserError::new(
                ErrorCode::Internal,
                format!("Practice mode could not start its simulator on this computer: {error}."),
            )
        })?;
        Ok(Self { simulator })
    }

    /// The simulator's address.
    pub fn api_base(&self) -> String {
        self.simulator.base_url()
    }

    /// The practice key (not a secret: it only opens the simulator).
    pub fn key(&self) -> ApiKey {
        ApiKey::new(DEFAULT_PRACTICE_KEY)
    }

    /// Stops the simulator.
    pub async fn stop(self) {
        self.simulator.shutdown().await;
    }
}
