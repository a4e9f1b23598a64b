<?php
/**
 * Plugin Name: SG pair banner
 * Description: A fixture: 1.1.0 shows a tall banner on the sample page when another plugin offers a text; alone it shows nothing.
 * Version: 1.1.0
 */

add_filter( 'the_content', function ( $content ) {
	$text = apply_filters( 'sg_pair_banner', '' );
	if ( $text !== '' && is_page( 'sample-page' ) ) {
		return '<div style="height:600px;background:#0b5;color:#fff;font-size:48px">' . esc_html( $text ) . '</div>' . $content;
	}
	return $content;
} );
