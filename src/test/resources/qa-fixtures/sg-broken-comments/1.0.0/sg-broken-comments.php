<?php
/**
 * Plugin Name: SG broken comments
 * Description: A fixture: 1.1.0 stops the comment form from submitting, without an error.
 * Version: 1.0.0
 */

// 1.0.0 leaves the comment form alone
