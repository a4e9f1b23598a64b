<?php
/**
 * Plugin Name: SG broken comments
 * Description: A fixture: 1.1.0 stops the comment form from submitting, without an error.
 * Version: 1.1.0
 */

add_action( 'wp_footer', function () {
	echo "<script>document.addEventListener('submit', function (e) { if (e.target.id === 'commentform') { e.preventDefault(); } }, true);</script>\n";
} );
