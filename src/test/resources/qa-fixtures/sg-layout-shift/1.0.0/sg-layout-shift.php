<?php
/**
 * Plugin Name: SG layout shift
 * Description: A fixture: 1.1.0 pushes the content of the sample page down.
 * Version: 1.0.0
 */

// 1.0.0 leaves pages as they are
