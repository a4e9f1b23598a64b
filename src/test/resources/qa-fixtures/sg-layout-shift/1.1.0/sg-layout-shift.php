<?php
/**
 * Plugin Name: SG layout shift
 * Description: A fixture: 1.1.0 pushes the content of the sample page down.
 * Version: 1.1.0
 */

add_filter( 'the_content', function ( $content ) {
	if ( is_page( 'sample-page' ) ) {
		return '<div style="height:700px;background:#b00020;color:#fff;font-size:48px">Special offer</div>' . $content;
	}
	return $content;
} );
