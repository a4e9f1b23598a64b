<?php
/**
 * Plugin Name: SG pair banner
 * Description: A fixture: 1.1.0 shows a tall banner on the sample page when another plugin offers a text; alone it shows nothing.
 * Version: 1.0.0
 */

// 1.0.0 shows no banner
