<?php
/**
 * Plugin Name: SG slow page
 * Description: A fixture: 1.1.0 makes the sample page wait 1.5 s on the server.
 * Version: 1.0.0
 */

// 1.0.0 answers at once
